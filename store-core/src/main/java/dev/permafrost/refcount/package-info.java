/**
 * The reference-count protocol ({@link dev.permafrost.refcount.RefCounts}): retain, release
 * and tryRetain on the count word of an object header, with the immortal test first so that
 * frozen objects are never written.
 *
 * <p>Thread rules: every method is safe to call from any thread on any object; the count
 * is the only state. Hot paths: {@code retain} and {@code release}.
 */
package dev.permafrost.refcount;
