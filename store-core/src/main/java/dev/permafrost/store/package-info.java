/**
 * The Permafrost API: {@link dev.permafrost.store.Store} (create, open, allocate, retain,
 * release, freeze, close), {@link dev.permafrost.store.OpenMode} and
 * {@link dev.permafrost.store.StoreStats}.
 *
 * <p>Thread rules: a store is safe to use from any number of threads; freeze and close want
 * a quiet point. Hot paths: {@code retain}, {@code release}, {@code tryRetain}, {@code payload}.
 */
package dev.permafrost.store;
