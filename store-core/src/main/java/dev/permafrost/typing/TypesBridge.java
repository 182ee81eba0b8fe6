package dev.permafrost.typing;

import dev.permafrost.store.Store;
import dev.permafrost.types.Types;
import java.lang.foreign.MemorySegment;

/**
 * How the store reaches the type system's non-public entry point: {@link Types} installs its
 * factory here when its class initializes, and the store calls {@link #attach} once per store,
 * so users can reach a store's types only through {@link Store#types()}.
 */
public final class TypesBridge {
    /** Allocates an object of any type id, which the public {@link Store#allocate(int, long)} refuses. */
    @FunctionalInterface
    public interface Allocation {
        /**
         * Allocates an object with a count of 1 and a zeroed payload.
         *
         * @param typeId       any type id
         * @param payloadBytes payload length
         * @return the object's offset
         */
        long allocate(int typeId, long payloadBytes);
    }

    /** Creates the type system of one store. */
    @FunctionalInterface
    public interface Factory {
        /**
         * Creates the type system of one store, reading its type and root tables eagerly.
         *
         * @param store           the store
         * @param memory          the store's memory, from offset 0 of the file
         * @param typeTableOffset the committed type table, or 0
         * @param rootTableOffset the committed root table, or 0
         * @param allocation      allocates objects of the type system's own kinds
         * @return the store's types
         */
        Types attach(Store store, MemorySegment memory, long typeTableOffset, long rootTableOffset, Allocation allocation);
    }

    private static volatile Factory factory;

    private TypesBridge() {
    }

    /**
     * Installs the factory; called once, by {@link Types}'s static initializer.
     *
     * @param installed the factory
     */
    public static void install(Factory installed) {
        factory = installed;
    }

    /**
     * Creates the type system of one store.
     *
     * @param store           the store
     * @param memory          the store's memory, from offset 0 of the file
     * @param typeTableOffset the committed type table, or 0
     * @param rootTableOffset the committed root table, or 0
     * @param allocation      allocates objects of the type system's own kinds
     * @return the store's types
     */
    public static Types attach(Store store, MemorySegment memory, long typeTableOffset, long rootTableOffset,
                               Allocation allocation) {
        Factory current = factory;
        if (current == null) {
            try {
                Class.forName(Types.class.getName(), true, Types.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the type system is missing from the module", e);
            }
            current = factory;
        }
        return current.attach(store, memory, typeTableOffset, rootTableOffset, allocation);
    }
}
