package dev.keelson.outbox;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A real data source whose connections refuse to prepare one kind of statement, as a database that
 * fails only that query (a lock wait, a timeout) would; every other statement runs.
 */
final class RefusedStatements {

  private RefusedStatements() {}

  /**
   * @param real the database
   * @param sqlPrefix how the refused statements begin
   * @param refusals counts the statements refused
   * @return the data source
   */
  static DataSource refusing(DataSource real, String sqlPrefix, AtomicInteger refusals) {
    return proxy(
        DataSource.class,
        real,
        (method, args) -> {
          Object result = invoke(real, method, args);
          return method.getName().equals("getConnection")
              ? proxy(
                  Connection.class,
                  (Connection) result,
                  (m, a) -> {
                    if (m.getName().equals("prepareStatement")
                        && ((String) a[0]).startsWith(sqlPrefix)) {
                      refusals.incrementAndGet();
                      throw new SQLException("refused by the test: " + sqlPrefix);
                    }
                    return invoke(result, m, a);
                  })
              : result;
        });
  }

  private interface Call {
    Object on(Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, T real, Call call) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (p, method, args) -> call.on(method, args)));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
