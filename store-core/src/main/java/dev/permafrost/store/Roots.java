package dev.permafrost.store;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.TypeIds;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A store's named roots: the root table, read back when the store opens, and its changes (owner
 * of an unfrozen store only). A root holds one reference to the object it names; the name is a
 * string object of the store, written as UTF-8, so a name must be well-formed UTF-16 (an
 * unpaired surrogate has no UTF-8 form and would come back as another name).
 *
 * <p>Thread rules: changes are serialized on this object; lookups read a concurrent map.
 */
final class Roots {
    private static final int FIRST_TABLE_CAPACITY = 8;

    private final ObjectSpace space;
    private final BuiltinKinds builtins;
    private final Map<String, Long> roots = new ConcurrentHashMap<>();
    /** Root name to its entry's index in the root table; changed only under this object's lock. */
    private final Map<String, Integer> slots = new HashMap<>();
    private volatile long rootTableOffset;
    /**
     * The table the last commit published (as opened, or as recorded by {@link #published}):
     * never written again; the first change after a commit copies it. Under this object's lock.
     */
    private long publishedOffset;

    Roots(ObjectSpace space, BuiltinKinds builtins, long rootTableOffset) {
        this.space = space;
        this.builtins = builtins;
        this.rootTableOffset = rootTableOffset;
        this.publishedOffset = rootTableOffset;
        if (rootTableOffset != 0) {
            load(rootTableOffset);
        }
    }

    private void load(long table) {
        space.checkStored(table, TypeIds.ROOT_TABLE, "the root table");
        MemorySegment payload = space.payloadOf(table);
        if (payload.byteSize() < RootTableDescriptor.ENTRIES_OFFSET) {
            throw new CorruptStoreException(space.file, table, "root table of " + payload.byteSize()
                    + " payload bytes, shorter than its " + RootTableDescriptor.ENTRIES_OFFSET + "-byte count");
        }
        int count = RootTableDescriptor.count(payload);
        if (count < 0 || count > RootTableDescriptor.capacity(payload.byteSize())) {
            throw new CorruptStoreException(space.file, table, "root table count " + count + " does not fit its "
                    + payload.byteSize() + "-byte payload");
        }
        for (int i = 0; i < count; i++) {
            long name = RootTableDescriptor.nameOffset(payload, i);
            long object = RootTableDescriptor.objectOffset(payload, i);
            space.checkStored(name, TypeIds.STRING, "root table entry " + i + "'s name");
            space.checkStored(object, 0, "root table entry " + i + "'s object");
            String rootName = builtins.readStoredString(name);
            if (roots.putIfAbsent(rootName, object) != null) {
                throw new CorruptStoreException(space.file, name, "root table entry " + i + " repeats the name '" + rootName + "'");
            }
            slots.put(rootName, i);
        }
    }

    /** {@return the root table's offset, 0 if no root was ever set: what the next commit records} */
    long offset() {
        return rootTableOffset;
    }

    /** A commit recorded the table as it is now: from here on it is copied before it is changed. */
    synchronized void published() {
        publishedOffset = rootTableOffset;
    }

    /**
     * The root table to change in place: the current one, or, if a commit published it, a copy
     * that replaces it (the published one is released, and its block is not reused before two
     * more commits: see {@code Allocator}). If the copy cannot be made, nothing changed.
     */
    private long writableTable() {
        long table = rootTableOffset;
        if (table != 0 && table == publishedOffset) {
            table = space.grow(table, TypeIds.ROOT_TABLE, space.payloadBytesAt(table));
            rootTableOffset = table;
        }
        return table;
    }

    /**
     * Names an object. {@code adopt}: the root takes over a reference the caller holds; else it
     * retains its own. If this throws, nothing changed: a handed-over reference is still the caller's.
     */
    synchronized void set(String name, long objectOffset, boolean adopt) {
        checkName(name);
        checkWritable(name);
        space.checkLive(objectOffset, "root '" + name + "'");
        if (!adopt) {
            space.store.retain(objectOffset);
        }
        Integer slot = slots.get(name);
        if (slot != null) {
            MemorySegment payload;
            try {
                payload = space.payloadOf(writableTable());
            } catch (RuntimeException e) {
                if (!adopt) {
                    space.store.release(objectOffset);
                }
                throw e;
            }
            long old = RootTableDescriptor.objectOffset(payload, slot);
            RootTableDescriptor.setEntry(payload, slot, RootTableDescriptor.nameOffset(payload, slot), objectOffset);
            roots.put(name, objectOffset);
            space.store.release(old);
            return;
        }
        long nameObject = 0;
        try {
            long table = rootTableOffset;
            if (table == 0) {
                table = space.allocate(TypeIds.ROOT_TABLE, RootTableDescriptor.payloadBytes(FIRST_TABLE_CAPACITY));
                rootTableOffset = table;
            }
            int count = RootTableDescriptor.count(space.payloadOf(table));
            if (count == RootTableDescriptor.capacity(space.payloadBytesAt(table))) {
                table = space.grow(table, TypeIds.ROOT_TABLE, RootTableDescriptor.payloadBytes(count * 2));
                rootTableOffset = table;
            } else {
                table = writableTable();
            }
            nameObject = builtins.writeString(name);
            MemorySegment payload = space.payloadOf(table);
            RootTableDescriptor.setEntry(payload, count, nameObject, objectOffset);
            RootTableDescriptor.setCount(payload, count + 1);
            slots.put(name, count);
            roots.put(name, objectOffset);
        } catch (RuntimeException e) {
            if (nameObject != 0 && !slots.containsKey(name)) {
                space.store.release(nameObject);
            }
            if (!adopt) {
                space.store.release(objectOffset); // the root's own; a handed-over reference stays the caller's
            }
            throw e;
        }
    }

    /** {@return the object a root names, or 0 if there is no such root} */
    long get(String name) {
        Long object = roots.get(checkName(name));
        return object == null ? 0 : object;
    }

    synchronized boolean remove(String name) {
        checkName(name);
        checkWritable(name);
        Integer slot = slots.get(name);
        if (slot == null) {
            return false;
        }
        MemorySegment payload = space.payloadOf(writableTable()); // if the copy fails, nothing changed
        slots.remove(name);
        int last = RootTableDescriptor.count(payload) - 1;
        long nameObject = RootTableDescriptor.nameOffset(payload, slot);
        long object = RootTableDescriptor.objectOffset(payload, slot);
        if (slot != last) {
            long movedName = RootTableDescriptor.nameOffset(payload, last);
            RootTableDescriptor.setEntry(payload, slot, movedName, RootTableDescriptor.objectOffset(payload, last));
            slots.put(builtins.readStoredString(movedName), slot);
        }
        RootTableDescriptor.setEntry(payload, last, 0, 0);
        RootTableDescriptor.setCount(payload, last);
        roots.remove(name);
        space.store.release(nameObject);
        space.store.release(object);
        return true;
    }

    Set<String> names() {
        return Set.copyOf(roots.keySet());
    }

    int size() {
        return roots.size();
    }

    /** A root name is not null and has a UTF-8 form: no unpaired surrogate. */
    private static String checkName(String name) {
        if (name == null) {
            throw new NullPointerException("a root name must not be null");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("root name \"" + name.replace(c, '?') + "\" has an unpaired surrogate"
                        + " (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                        + "): names are stored as UTF-8, which cannot hold it");
            }
        }
        return name;
    }

    private void checkWritable(String name) {
        Store store = space.store;
        if (store.mode() != OpenMode.OWNER || store.isFrozen()) {
            throw new StoreStateException(space.file, PermafrostException.NO_OFFSET, "cannot change root '" + name
                    + "': only the owner of an unfrozen store changes roots (this store is " + store.mode()
                    + (store.isFrozen() ? ", frozen)" : ")"));
        }
    }
}
