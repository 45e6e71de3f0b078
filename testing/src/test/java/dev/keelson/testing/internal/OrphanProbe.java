package dev.keelson.testing.internal;

/**
 * Run in a child JVM by {@link NoOrphanServersTest}: starts a local Redis, or a local Kafka broker
 * when the argument is {@code kafka}, prints its pid and waits to be killed.
 */
public final class OrphanProbe {

  private OrphanProbe() {}

  public static void main(String[] args) throws InterruptedException {
    ServerProcess server =
        args.length > 0 && args[0].equals("kafka")
            ? LocalKafka.start().process()
            : LocalRedis.start(false, false).process();
    System.out.println("server-pid=" + server.pid());
    System.out.flush();
    // Parks until the test kills this JVM.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
