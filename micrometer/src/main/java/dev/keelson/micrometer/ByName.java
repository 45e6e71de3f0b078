package dev.keelson.micrometer;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A binder's meters per component name, registered the first time the name is heard: an event then
 * costs one map read and the meter's own update, and the registry is never searched.
 *
 * @param <M> the meters of one component
 */
final class ByName<M> {

  private final Map<String, M> byName = new ConcurrentHashMap<>();
  private final Function<String, M> register;

  ByName(Function<String, M> register) {
    this.register = register;
  }

  M of(String name) {
    M meters = byName.get(name); // no lock on the common path: the name is known
    return meters != null ? meters : byName.computeIfAbsent(name, register);
  }

  /** The components heard so far, by name. */
  List<Map.Entry<String, M>> all() {
    return byName.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }
}
