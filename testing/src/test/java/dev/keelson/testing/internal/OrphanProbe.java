package dev.keelson.testing.internal;

/**
 * Run in a child JVM by {@link NoOrphanServersTest}: starts a local Redis, prints its pid and waits
 * to be killed.
 */
public final class OrphanProbe {

  private OrphanProbe() {}

  public static void main(String[] args) throws InterruptedException {
    LocalRedis redis = LocalRedis.start(false, false);
    System.out.println("server-pid=" + redis.process().pid());
    System.out.flush();
    // Parks until the test kills this JVM.
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
