package dev.keelson.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a benchmark that measures the physical limit of an operation without Keelson: a direct
 * call, a bare {@code PING}, a bare {@code EVALSHA}, a bare SQL statement.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface Baseline {}
