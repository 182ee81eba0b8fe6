/**
 * The store file ({@link dev.permafrost.file.StoreFile}): create, validate, lock, map,
 * commit, freeze in place, close. Every check of a file's bytes against the format happens
 * here, before mapping, so the rest of the store trusts what it maps.
 *
 * <p>Thread rules: driven by the store, with allocation stopped for commit, freeze and close.
 * No hot paths.
 */
package dev.permafrost.file;
