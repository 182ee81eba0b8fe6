/**
 * The start-up suite ({@link dev.permafrost.jmh.startup.StartupSuite}): how long a fresh worker
 * JVM takes to attach to a cache of 10^6 or 10^7 entries and serve its first hit, beside loading
 * the same entries into Caffeine from a file and opening them in Chronicle Map and LMDB. Not JMH:
 * each measurement is a child JVM of its own.
 *
 * <p>Thread rules: one thread, one child JVM at a time. Hot paths: none; what is timed is one
 * open and one lookup in each child.
 */
package dev.permafrost.jmh.startup;
