/** The JDBC (PostgreSQL) lease store. */
@NullMarked
package dev.keelson.leasing.jdbc;

import org.jspecify.annotations.NullMarked;
