/**
 * What the JDBC backends share: the SQL dialects they speak ({@link
 * dev.keelson.core.jdbc.SqlDialect}) and their DDL files ({@link dev.keelson.core.jdbc.Schema}).
 */
@NullMarked
package dev.keelson.core.jdbc;

import org.jspecify.annotations.NullMarked;
