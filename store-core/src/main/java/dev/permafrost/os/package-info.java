/**
 * Linux system calls through FFM ({@code java.lang.foreign}): mapping with {@code mmap}
 * (including private writable mappings of files that are read-only on disk, and
 * {@code MAP_FIXED} remapping at freeze), {@code flock}, {@code fallocate}, {@code msync}.
 *
 * <p>Needs native access ({@code --enable-native-access}). Never on a hot path, and never
 * given store memory to read or write: a native access to a mapping whose file was truncated
 * kills the JVM with SIGBUS, where a Java access throws.
 */
package dev.permafrost.os;
