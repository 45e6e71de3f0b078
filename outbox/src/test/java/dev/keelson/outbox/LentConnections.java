package dev.keelson.outbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** A real data source that counts the connections it has lent and not yet had back. */
final class LentConnections {

  private final AtomicInteger lent = new AtomicInteger();
  private final DataSource counted;

  LentConnections(DataSource real) {
    this.counted =
        proxy(
            DataSource.class,
            real,
            (method, result) -> {
              if (method.getName().equals("getConnection")) {
                lent.incrementAndGet();
                return counting((Connection) result);
              }
              return result;
            });
  }

  DataSource dataSource() {
    return counted;
  }

  /**
   * @return how many connections are out now
   */
  int now() {
    return lent.get();
  }

  private Connection counting(Connection real) {
    boolean[] closed = {false};
    return proxy(
        Connection.class,
        real,
        (method, result) -> {
          if (method.getName().equals("close") && !closed[0]) {
            closed[0] = true;
            lent.decrementAndGet();
          }
          return result;
        });
  }

  /** What a proxy does with a call the real object has answered. */
  private interface After {
    Object apply(Method method, Object result);
  }

  private static <T> T proxy(Class<T> type, T real, After after) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              try {
                return after.apply(method, method.invoke(real, args));
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }));
  }
}
