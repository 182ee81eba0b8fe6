/**
 * Permafrost's shared cache: a frozen base built once and mapped copy-on-write by every worker
 * on a host, with a bounded overlay of this worker's own entries. Built on the store's public
 * API only; exports the cache API and nothing else.
 */
module dev.permafrost.cache {
    requires dev.permafrost.core;
    requires dev.permafrost.layout; // the exception family

    exports dev.permafrost.cache;
}
