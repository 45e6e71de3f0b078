package dev.keelson.idempotency;

import dev.keelson.core.internal.Checks;

/**
 * A client's idempotency key within a namespace: the tenant or principal the request acts for. Two
 * clients may send the same key; in different namespaces they never see each other's results.
 *
 * @param namespace who the request acts for: 1 to 128 characters, no control characters or unpaired
 *     surrogates
 * @param key the client's key: 1 to 255 characters, no control characters or unpaired surrogates
 */
public record IdempotencyKey(String namespace, String key) {

  /** The longest namespace. */
  public static final int MAX_NAMESPACE_LENGTH = 128;

  /** The longest key: enough for a UUID with a prefix, as the IETF draft and Stripe use. */
  public static final int MAX_KEY_LENGTH = 255;

  public IdempotencyKey {
    checkNamespace(namespace);
    check("key", key, MAX_KEY_LENGTH);
  }

  /**
   * @param namespace who a request acts for
   * @return the namespace
   * @throws IllegalArgumentException if it is empty, too long or has control characters
   */
  static String checkNamespace(String namespace) {
    check("namespace", namespace, MAX_NAMESPACE_LENGTH);
    return namespace;
  }

  /**
   * @param namespace who the request acts for
   * @param key the client's key
   * @return the key
   * @throws IllegalArgumentException if either part is empty, too long or has control characters
   */
  public static IdempotencyKey of(String namespace, String key) {
    return new IdempotencyKey(namespace, key);
  }

  /**
   * One string that names this key in a store, unambiguous for any namespace and key: the
   * namespace's length comes first, so ("a:b", "c") and ("a", "b:c") differ.
   *
   * @return {@code <namespace length>:<namespace>:<key>}
   */
  public String storageKey() {
    return namespace.length() + ":" + namespace + ":" + key;
  }

  private static void check(String name, String value, int maxLength) {
    Checks.text(name, value, maxLength);
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(
            name + ": must not contain control characters (at index " + i + ")");
      }
    }
  }
}
