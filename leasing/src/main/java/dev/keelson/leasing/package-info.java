/**
 * Fenced leases: a lease on a resource carries a fencing token that strictly increases over every
 * acquisition, so the protected storage can refuse a stale holder's writes. Start at {@link
 * dev.keelson.leasing.Leaser}; backends implement {@link dev.keelson.leasing.LeaseStore}.
 */
@NullMarked
package dev.keelson.leasing;

import org.jspecify.annotations.NullMarked;
