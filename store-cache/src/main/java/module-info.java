/**
 * Permafrost's shared cache: a frozen base built once and mapped copy-on-write by every worker
 * on a host, with a bounded overlay of this worker's own entries. Built on the store's public
 * API only; exports the cache API and nothing else.
 */
module dev.permafrost.cache {
    requires transitive dev.permafrost.core; // Ref and RecordType are in the cache's API
    requires transitive dev.permafrost.layout; // the exception family: CacheException extends PermafrostException

    exports dev.permafrost.cache;
}
