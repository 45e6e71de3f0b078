/**
 * Internal: what the JDBC backends share: the SQL dialects they speak ({@link
 * dev.keelson.core.internal.jdbc.SqlDialect}) and their DDL files ({@link
 * dev.keelson.core.internal.jdbc.Schema}).
 */
@NullMarked
package dev.keelson.core.internal.jdbc;

import org.jspecify.annotations.NullMarked;
