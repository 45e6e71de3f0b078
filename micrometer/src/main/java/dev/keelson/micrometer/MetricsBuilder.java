package dev.keelson.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The settings every binder's builder shares: the registry, the tags every meter carries, and
 * whether timers and summaries publish percentile histograms. Not for extension outside this
 * package.
 *
 * @param <B> the builder's own type
 * @param <M> the binder it builds
 */
public abstract class MetricsBuilder<B extends MetricsBuilder<B, M>, M> {

  /** The tag keys Keelson sets itself; a user's tag with one of them would be overwritten. */
  static final Set<String> OWN_TAG_KEYS = Set.of(Meters.NAME, Meters.OUTCOME, Meters.SOURCE);

  private final MeterRegistry registry;
  private final Function<B, M> binder;
  private Tags tags = Tags.empty();
  private boolean percentileHistograms;

  MetricsBuilder(MeterRegistry registry, Function<B, M> binder) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.binder = binder;
  }

  abstract B self();

  /**
   * Adds tags that every meter of this binder carries, before Keelson's own ({@code name}, {@code
   * outcome}, {@code source}): an application or a region, say. Give every binder of one registry
   * the same tag keys: Prometheus wants one set of keys per meter name.
   *
   * @param tags the tags; one with a key already given replaces it
   * @return this builder
   * @throws IllegalArgumentException if a tag uses one of Keelson's own keys
   */
  public B tags(Iterable<Tag> tags) {
    Tags checked = Tags.of(Objects.requireNonNull(tags, "tags"));
    for (Tag tag : checked) {
      if (OWN_TAG_KEYS.contains(tag.getKey())) {
        throw new IllegalArgumentException(
            "tags: '"
                + tag.getKey()
                + "' is a key Keelson sets itself (one of "
                + OWN_TAG_KEYS
                + ")");
      }
    }
    this.tags = this.tags.and(checked);
    return self();
  }

  /**
   * @param keyValues tags as key, value, key, value... (see {@link #tags(Iterable)})
   * @return this builder
   * @throws IllegalArgumentException if the count is odd or a tag uses one of Keelson's own keys
   */
  public B tags(String... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "tags: must be key, value pairs, not " + keyValues.length + " strings");
    }
    return tags(Tags.of(keyValues));
  }

  /**
   * @param on whether timers and distribution summaries publish percentile histograms (default
   *     false: count, sum and max only; a histogram adds a few dozen series per meter)
   * @return this builder
   */
  public B percentileHistograms(boolean on) {
    this.percentileHistograms = on;
    return self();
  }

  /**
   * @return the binder
   */
  public M build() {
    return binder.apply(self());
  }

  Meters meters() {
    return new Meters(registry, tags, percentileHistograms);
  }
}
