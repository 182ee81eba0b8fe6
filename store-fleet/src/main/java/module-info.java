/**
 * Permafrost's worker fleets: a supervisor that starts N worker JVMs on one store, each
 * mapping it copy-on-write, restarts those that crash, stops them, and reports their memory
 * for the store from the kernel's accounting. Exports the fleet API; its types hand out the
 * store's own ({@code Store}, {@code MappingMemory}), hence {@code requires transitive}.
 * jnr-posix (an automatic module) sends the workers' signals.
 */
module dev.permafrost.fleet {
    requires transitive dev.permafrost.core;
    requires org.jnrproject.posix;
    requires org.jnrproject.constants;

    exports dev.permafrost.fleet;
}
