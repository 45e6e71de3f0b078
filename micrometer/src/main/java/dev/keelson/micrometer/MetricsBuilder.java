package dev.keelson.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.Objects;
import java.util.Set;

/**
 * The settings every binder's builder shares: the registry, the tags every meter carries, and
 * whether timers and summaries publish percentile histograms. Not for extension outside this
 * package.
 *
 * @param <B> the builder's own type
 */
public abstract class MetricsBuilder<B extends MetricsBuilder<B>> {

  /** The tag keys Keelson sets itself; a user's tag with one of them would be overwritten. */
  static final Set<String> OWN_TAG_KEYS = Set.of(Meters.NAME, Meters.OUTCOME, Meters.SOURCE);

  private final MeterRegistry registry;
  private Tags tags = Tags.empty();
  private boolean percentileHistograms;

  MetricsBuilder(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  abstract B self();

  /**
   * @param tags tags every meter of this binder carries, before Keelson's own ({@code name}, {@code
   *     outcome}, {@code source}), such as an application or a region; they replace the ones set
   *     before
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
    this.tags = checked;
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

  Meters meters() {
    return new Meters(registry, tags, percentileHistograms);
  }
}
