/** The Redis (standalone and Cluster) lease store. */
@NullMarked
package dev.keelson.leasing.redis;

import org.jspecify.annotations.NullMarked;
