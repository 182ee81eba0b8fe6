package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.CommitSlotDescriptor;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's type table and root table as the CLI reads them: type names for output, root
 * names for {@code objects --root}. Every offset is checked (inside the heap, 16-aligned, a
 * header whose block fits below the bump offset, the expected type) before it is followed, so
 * a damaged table gives a {@link CorruptStoreException} naming the offset.
 */
final class Tables {
    /** A named root. */
    record Root(String name, long nameOffset, long objectOffset) {
    }

    private final Map<Integer, String> typeNames = new LinkedHashMap<>();
    private final Map<Integer, TypeEntryDescriptor.TypeEntry> entries = new LinkedHashMap<>();
    private final long typeTableOffset;
    private final int typeCount;
    private final long[] descriptorOffsets;
    private final List<Root> roots = new ArrayList<>();

    private Tables(long typeTableOffset, long[] descriptorOffsets) {
        this.typeTableOffset = typeTableOffset;
        this.typeCount = descriptorOffsets.length;
        this.descriptorOffsets = descriptorOffsets;
    }

    /** {@return tables of a store that has none} */
    static Tables empty() {
        return new Tables(0, new long[0]);
    }

    /**
     * Reads the tables of an image.
     *
     * @param image the store
     * @return the tables; empty ones if the store has none
     * @throws CorruptStoreException if a table or an entry points at something that is not there
     */
    static Tables read(StoreImage image) {
        long typeTable = image.committed().typeTableOffset();
        long slotAt = CommitSlotDescriptor.slotOffset(image.committed().generation());
        long[] descriptors = new long[0];
        if (typeTable != 0) {
            MemorySegment payload = payload(image, typeTable, TypeIds.TYPE_TABLE, "the type table",
                    slotAt + CommitSlotDescriptor.TYPE_TABLE_OFFSET);
            int count = countOf(image, payload, typeTable, TypeTableDescriptor.COUNT_OFFSET,
                    TypeTableDescriptor.ENTRIES_OFFSET, TypeTableDescriptor.ENTRY_LENGTH, "type table");
            descriptors = new long[count];
            for (int i = 0; i < count; i++) {
                descriptors[i] = TypeTableDescriptor.entry(payload, i);
                long at = typeTable + ObjectHeaderDescriptor.LENGTH + TypeTableDescriptor.ENTRIES_OFFSET
                        + (long) TypeTableDescriptor.ENTRY_LENGTH * i;
                if (descriptors[i] != 0) {
                    payload(image, descriptors[i], TypeIds.TYPE_DESCRIPTOR, "type descriptor " + i, at);
                }
            }
        }
        Tables tables = new Tables(typeTable, descriptors);
        for (int i = 0; i < descriptors.length; i++) {
            if (descriptors[i] == 0) {
                continue;
            }
            MemorySegment payload = payload(image, descriptors[i], TypeIds.TYPE_DESCRIPTOR, "type descriptor " + i, typeTable);
            TypeEntryDescriptor.TypeEntry entry = TypeEntryDescriptor.decode(payload, image.path(), descriptors[i]);
            if (entry.typeId() != TypeIds.FIRST_USER_TYPE_ID + i) {
                throw new CorruptStoreException(image.path(), descriptors[i] + ObjectHeaderDescriptor.LENGTH
                        + TypeEntryDescriptor.TYPE_ID_OFFSET, "type descriptor " + i + " names type id " + entry.typeId()
                        + ", its place in the type table says " + (TypeIds.FIRST_USER_TYPE_ID + i));
            }
            tables.typeNames.put(entry.typeId(), entry.name());
            tables.entries.put(entry.typeId(), entry);
        }
        long rootTable = image.committed().rootTableOffset();
        if (rootTable != 0) {
            MemorySegment payload = payload(image, rootTable, TypeIds.ROOT_TABLE, "the root table",
                    slotAt + CommitSlotDescriptor.ROOT_TABLE_OFFSET);
            int count = countOf(image, payload, rootTable, RootTableDescriptor.COUNT_OFFSET,
                    RootTableDescriptor.ENTRIES_OFFSET, RootTableDescriptor.ENTRY_LENGTH, "root table");
            for (int i = 0; i < count; i++) {
                long at = rootTable + ObjectHeaderDescriptor.LENGTH + RootTableDescriptor.ENTRIES_OFFSET
                        + (long) RootTableDescriptor.ENTRY_LENGTH * i;
                long nameOffset = RootTableDescriptor.nameOffset(payload, i);
                long objectOffset = RootTableDescriptor.objectOffset(payload, i);
                String name = "root#" + i;
                if (nameOffset != 0) {
                    MemorySegment namePayload = payload(image, nameOffset, -1, "the name of root " + i,
                            at + RootTableDescriptor.ENTRY_NAME_OFFSET);
                    name = new String(namePayload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                }
                if (objectOffset != 0) {
                    payload(image, objectOffset, -1, "the object of root \"" + name + "\"",
                            at + RootTableDescriptor.ENTRY_OBJECT_OFFSET);
                }
                tables.roots.add(new Root(name, nameOffset, objectOffset));
            }
        }
        return tables;
    }

    /**
     * Returns a type's name: from the type table when it names it, the built-in name or
     * {@code type#N} otherwise.
     *
     * @param typeId a type id
     * @return its name
     */
    String typeName(int typeId) {
        String name = typeNames.get(typeId);
        return name != null ? name : TypeIds.builtinName(typeId);
    }

    /**
     * Resolves a type given on the command line: a name, a built-in name, {@code type#N}, or a number.
     *
     * @param spec what the user typed
     * @return the type id, or -1 if no type has that name
     */
    int typeId(String spec) {
        for (Map.Entry<Integer, String> e : typeNames.entrySet()) {
            if (e.getValue().equals(spec)) {
                return e.getKey();
            }
        }
        for (int id = TypeIds.RAW; id < TypeIds.FIRST_USER_TYPE_ID; id++) {
            if (TypeIds.builtinName(id).equals(spec)) {
                return id;
            }
        }
        String digits = spec.startsWith("type#") ? spec.substring(5) : spec;
        try {
            int id = Integer.parseInt(digits);
            return id > 0 && id <= ObjectHeaderDescriptor.MAX_TYPE_ID ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Returns a user type's description.
     *
     * @param typeId a type id
     * @return its entry in the type table, or {@code null}
     */
    TypeEntryDescriptor.TypeEntry entry(int typeId) {
        return entries.get(typeId);
    }

    /** {@return the type table's offset, or 0 if the store has none} */
    long typeTableOffset() {
        return typeTableOffset;
    }

    /** {@return entries of the type table} */
    int typeCount() {
        return typeCount;
    }

    /**
     * Returns the descriptor object of a user type, or 0.
     *
     * @param typeId a type id
     * @return the descriptor's offset, or 0 if the table has no entry for it
     */
    long descriptorOffset(int typeId) {
        int index = typeId - TypeIds.FIRST_USER_TYPE_ID;
        return index >= 0 && index < descriptorOffsets.length ? descriptorOffsets[index] : 0;
    }

    /** {@return the named roots, in table order} */
    List<Root> roots() {
        return roots;
    }

    /**
     * Returns the payload of an object after checking that its header is there and fits.
     *
     * @param image        the store
     * @param objectOffset the object
     * @param typeId       the type it must have, or -1 for any
     * @param what         what the object is, for the message
     * @param from         where the reference to it was found, for the message
     * @return its payload
     */
    static MemorySegment payload(StoreImage image, long objectOffset, int typeId, String what, long from) {
        if (!image.isHeapOffset(objectOffset)) {
            throw new CorruptStoreException(image.path(), from, "reference to " + what + " is 0x"
                    + Long.toHexString(objectOffset) + ", not a 16-aligned offset inside the heap [0x"
                    + Long.toHexString(image.heapStartOffset()) + ", 0x" + Long.toHexString(image.bumpOffset()) + ")");
        }
        MemorySegment memory = image.memory();
        long count = memory.get(LONG, objectOffset);
        long meta = memory.get(LONG, objectOffset + ObjectHeaderDescriptor.META_OFFSET);
        if (ObjectHeaderDescriptor.blockBytes(meta) > image.bumpOffset() - objectOffset
                || ObjectHeaderDescriptor.typeId(meta) == TypeIds.INVALID) {
            throw new CorruptStoreException(image.path(), objectOffset, what + " (referenced from 0x"
                    + Long.toHexString(from) + ") has a corrupt header: meta word 0x" + Long.toHexString(meta));
        }
        if (count == ObjectHeaderDescriptor.FREE_COUNT) {
            throw new CorruptStoreException(image.path(), objectOffset, what + " (referenced from 0x"
                    + Long.toHexString(from) + ") is a free block, not a live object");
        }
        if (typeId >= 0 && ObjectHeaderDescriptor.typeId(meta) != typeId) {
            throw new CorruptStoreException(image.path(), objectOffset, what + " (referenced from 0x"
                    + Long.toHexString(from) + ") has type " + TypeIds.builtinName(ObjectHeaderDescriptor.typeId(meta))
                    + ", expected " + TypeIds.builtinName(typeId));
        }
        return memory.asSlice(objectOffset + ObjectHeaderDescriptor.LENGTH, ObjectHeaderDescriptor.payloadBytes(meta));
    }

    private static int countOf(StoreImage image, MemorySegment payload, long tableOffset, int countOffset,
                               int entriesOffset, int entryLength, String what) {
        if (payload.byteSize() < entriesOffset) {
            throw new CorruptStoreException(image.path(), tableOffset, "the " + what + " has a payload of "
                    + payload.byteSize() + " bytes, too short for its header");
        }
        int count = payload.get(dev.permafrost.layout.StoreFormat.INT, countOffset);
        if (count < 0 || entriesOffset + (long) entryLength * count > payload.byteSize()) {
            throw new CorruptStoreException(image.path(), tableOffset + ObjectHeaderDescriptor.LENGTH + countOffset,
                    "the " + what + " says it has " + count + " entries; its payload of " + payload.byteSize()
                            + " bytes holds at most " + (payload.byteSize() - entriesOffset) / entryLength);
        }
        return count;
    }
}
