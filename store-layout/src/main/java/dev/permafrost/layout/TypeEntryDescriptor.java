package dev.permafrost.layout;

import static dev.permafrost.layout.StoreFormat.INT;

import dev.permafrost.error.CorruptStoreException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One type's description: an object of type {@link TypeIds#TYPE_DESCRIPTOR}, referenced from
 * the {@linkplain TypeTableDescriptor type table}. It says everything a process needs to decode
 * the type's instances without the class that wrote them: the name, the kind, the size of the
 * fixed part, and each field's name, kind, offset and referenced type.
 *
 * <pre>
 *  payload offset 0         4        8             12            16            20         24
 *                +---------+--------+-------------+-------------+-------------+----------+
 *                | type id | kind   | fixed bytes | field count | name bytes  | reserved |
 *                +---------+--------+-------------+-------------+-------------+----------+
 *                | name: UTF-8, zero-padded to a multiple of 8                            |
 *                +------------------------------------------------------------------------+
 *                | field 0 | field 1 | ...                                                |
 *                +------------------------------------------------------------------------+
 *  field:         0        4              8                 12                16           20         24
 *                +--------+--------------+-----------------+-----------------+------------+----------+
 *                | kind   | payload      | referenced type | element type id | name bytes | reserved |
 *                |        | offset       | id (0 = any)    | (ref. arrays)   |            |          |
 *                +--------+--------------+-----------------+-----------------+------------+----------+
 *                | name: UTF-8, zero-padded to a multiple of 8                                        |
 *                +------------------------------------------------------------------------------------+
 *  kind: 1 = struct (the only kind the table holds; built-in kinds have fixed ids, {@link TypeIds})
 * </pre>
 *
 * For a {@link FieldKinds#REFERENCE} field the referenced type id is the target's type (a struct
 * id, {@link TypeIds#STRING}, an array kind, or 0 for any); when it is
 * {@link TypeIds#REFERENCE_ARRAY} the element type id names the type of the elements. For an
 * {@link FieldKinds#INLINE} field the referenced type id is the string or primitive array kind
 * whose encoding the inline bytes use. Other fields have 0 in both.
 */
public final class TypeEntryDescriptor {
    /** The one type kind the table holds: a struct of fixed fields. */
    public static final int KIND_STRUCT = 1;

    /** Payload offset of the 4-byte type id. */
    public static final int TYPE_ID_OFFSET = 0;
    /** Payload offset of the 4-byte kind. */
    public static final int KIND_OFFSET = 4;
    /** Payload offset of the 4-byte length of an instance's fixed part. */
    public static final int FIXED_BYTES_OFFSET = 8;
    /** Payload offset of the 4-byte field count. */
    public static final int FIELD_COUNT_OFFSET = 12;
    /** Payload offset of the 4-byte length of the name's UTF-8 bytes. */
    public static final int NAME_BYTES_OFFSET = 16;
    /** Payload offset of the name. */
    public static final int NAME_OFFSET = 24;

    /** Field entry offset of the 4-byte field kind ({@link FieldKinds}). */
    public static final int FIELD_KIND_OFFSET = 0;
    /** Field entry offset of the 4-byte offset of the field within an instance's payload. */
    public static final int FIELD_PAYLOAD_OFFSET = 4;
    /** Field entry offset of the 4-byte referenced type id. */
    public static final int FIELD_REFERENCED_TYPE_OFFSET = 8;
    /** Field entry offset of the 4-byte element type id. */
    public static final int FIELD_ELEMENT_TYPE_OFFSET = 12;
    /** Field entry offset of the 4-byte length of the field name's UTF-8 bytes. */
    public static final int FIELD_NAME_BYTES_OFFSET = 16;
    /** Field entry offset of the field name. */
    public static final int FIELD_NAME_OFFSET = 24;

    /** Longest type or field name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 4096;

    private TypeEntryDescriptor() {
    }

    /**
     * One field, decoded.
     *
     * @param name              the field's name
     * @param kind              its kind ({@link FieldKinds})
     * @param payloadOffset     its offset in an instance's payload
     * @param referencedTypeId  the referenced (or inline encoding) type id, or 0
     * @param elementTypeId     the element type of a referenced reference array, or 0
     */
    public record FieldEntry(String name, int kind, int payloadOffset, int referencedTypeId, int elementTypeId) {
    }

    /**
     * One type, decoded.
     *
     * @param typeId     its id, {@link TypeIds#FIRST_USER_TYPE_ID} and up
     * @param kind       {@link #KIND_STRUCT}
     * @param fixedBytes bytes of an instance's fixed part
     * @param name       the type's name
     * @param fields     its fields, in the order they were registered
     */
    public record TypeEntry(int typeId, int kind, int fixedBytes, String name, List<FieldEntry> fields) {
        /** Copies the field list. */
        public TypeEntry {
            fields = List.copyOf(fields);
        }
    }

    /**
     * Returns payload bytes of the descriptor of that type.
     *
     * @param entry the type
     * @return payload bytes of its descriptor object
     */
    public static long payloadBytes(TypeEntry entry) {
        long bytes = NAME_OFFSET + padded(utf8(entry.name()).length);
        for (FieldEntry field : entry.fields()) {
            bytes += FIELD_NAME_OFFSET + padded(utf8(field.name()).length);
        }
        return bytes;
    }

    /**
     * Writes a descriptor.
     *
     * @param payload the descriptor object's payload, {@link #payloadBytes} long, zeroed
     * @param entry   the type
     */
    public static void encode(MemorySegment payload, TypeEntry entry) {
        byte[] name = utf8(entry.name());
        payload.set(INT, TYPE_ID_OFFSET, entry.typeId());
        payload.set(INT, KIND_OFFSET, entry.kind());
        payload.set(INT, FIXED_BYTES_OFFSET, entry.fixedBytes());
        payload.set(INT, FIELD_COUNT_OFFSET, entry.fields().size());
        payload.set(INT, NAME_BYTES_OFFSET, name.length);
        MemorySegment.copy(name, 0, payload, ValueLayout.JAVA_BYTE, NAME_OFFSET, name.length);
        long at = NAME_OFFSET + padded(name.length);
        for (FieldEntry field : entry.fields()) {
            byte[] fieldName = utf8(field.name());
            payload.set(INT, at + FIELD_KIND_OFFSET, field.kind());
            payload.set(INT, at + FIELD_PAYLOAD_OFFSET, field.payloadOffset());
            payload.set(INT, at + FIELD_REFERENCED_TYPE_OFFSET, field.referencedTypeId());
            payload.set(INT, at + FIELD_ELEMENT_TYPE_OFFSET, field.elementTypeId());
            payload.set(INT, at + FIELD_NAME_BYTES_OFFSET, fieldName.length);
            MemorySegment.copy(fieldName, 0, payload, ValueLayout.JAVA_BYTE, at + FIELD_NAME_OFFSET, fieldName.length);
            at += FIELD_NAME_OFFSET + padded(fieldName.length);
        }
    }

    /**
     * Reads and validates a descriptor.
     *
     * @param payload      the descriptor object's payload
     * @param file         the store file, for messages
     * @param objectOffset the descriptor object's offset, for messages
     * @return the type
     * @throws CorruptStoreException if a count, length, kind or offset is impossible
     */
    public static TypeEntry decode(MemorySegment payload, Path file, long objectOffset) {
        long payloadStart = objectOffset + ObjectHeaderDescriptor.LENGTH;
        long size = payload.byteSize();
        if (size < NAME_OFFSET) {
            throw new CorruptStoreException(file, objectOffset, "type descriptor of " + size
                    + " bytes is shorter than its " + NAME_OFFSET + "-byte head");
        }
        int typeId = payload.get(INT, TYPE_ID_OFFSET);
        int kind = payload.get(INT, KIND_OFFSET);
        int fixedBytes = payload.get(INT, FIXED_BYTES_OFFSET);
        int fieldCount = payload.get(INT, FIELD_COUNT_OFFSET);
        if (kind != KIND_STRUCT) {
            throw new CorruptStoreException(file, payloadStart + KIND_OFFSET, "type descriptor kind " + kind
                    + ", expected " + KIND_STRUCT + " (struct)");
        }
        if (fixedBytes < 0 || fieldCount < 0 || fieldCount > (size - NAME_OFFSET) / FIELD_NAME_OFFSET) {
            throw new CorruptStoreException(file, payloadStart + FIXED_BYTES_OFFSET, "type descriptor with "
                    + fixedBytes + " fixed bytes and " + fieldCount + " fields does not fit its " + size + " bytes");
        }
        String name = name(payload, NAME_BYTES_OFFSET, NAME_OFFSET, file, payloadStart);
        long at = NAME_OFFSET + padded(payload.get(INT, NAME_BYTES_OFFSET));
        List<FieldEntry> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            if (at + FIELD_NAME_OFFSET > size) {
                throw new CorruptStoreException(file, payloadStart + at, "field " + i + " of type '" + name
                        + "' runs past the end of its descriptor");
            }
            int fieldKind = payload.get(INT, at + FIELD_KIND_OFFSET);
            int offset = payload.get(INT, at + FIELD_PAYLOAD_OFFSET);
            int width = FieldKinds.fixedBytes(fieldKind);
            if (width == 0 || offset < 0 || (long) offset + width > fixedBytes) {
                throw new CorruptStoreException(file, payloadStart + at, "field " + i + " of type '" + name
                        + "': kind " + fieldKind + " at payload offset " + offset + " does not fit a fixed part of "
                        + fixedBytes + " bytes");
            }
            String fieldName = name(payload, at + FIELD_NAME_BYTES_OFFSET, at + FIELD_NAME_OFFSET, file, payloadStart);
            fields.add(new FieldEntry(fieldName, fieldKind, offset, payload.get(INT, at + FIELD_REFERENCED_TYPE_OFFSET),
                    payload.get(INT, at + FIELD_ELEMENT_TYPE_OFFSET)));
            at += FIELD_NAME_OFFSET + padded(payload.get(INT, at + FIELD_NAME_BYTES_OFFSET));
        }
        return new TypeEntry(typeId, kind, fixedBytes, name, fields);
    }

    private static String name(MemorySegment payload, long lengthAt, long bytesAt, Path file, long payloadStart) {
        int length = payload.get(INT, lengthAt);
        if (length < 0 || length > MAX_NAME_BYTES || bytesAt + length > payload.byteSize()) {
            throw new CorruptStoreException(file, payloadStart + lengthAt, "name of " + length
                    + " bytes does not fit its type descriptor");
        }
        return new String(payload.asSlice(bytesAt, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static long padded(int bytes) {
        return (bytes + 7L) & -8L;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
