package dev.keelson.retry;

import org.jspecify.annotations.Nullable;

/** What follows an attempt: success, a retry after a delay, or a stop and its reason. */
final class Next {

  /** The attempt succeeded; its result is the call's. */
  static final Next SUCCEEDED = new Next(null, 0, null);

  final @Nullable StopReason stop;
  final long delayNanos;

  /** What the policy threw instead of deciding, when it stopped with POLICY_FAILED. */
  final @Nullable Throwable policyFailure;

  private Next(@Nullable StopReason stop, long delayNanos, @Nullable Throwable policyFailure) {
    this.stop = stop;
    this.delayNanos = delayNanos;
    this.policyFailure = policyFailure;
  }

  static Next retryAfter(long delayNanos) {
    return new Next(null, delayNanos, null);
  }

  static Next stop(StopReason reason) {
    return new Next(reason, 0, null);
  }

  /**
   * A part of the policy threw. Errors of the virtual machine (out of memory, stack overflow) pass
   * through, as {@code Listeners} lets them.
   */
  static Next policyFailed(Throwable e) {
    RetryPolicy.passVirtualMachineErrors(e);
    return new Next(StopReason.POLICY_FAILED, 0, e);
  }
}
