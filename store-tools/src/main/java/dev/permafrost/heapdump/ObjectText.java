package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.INT;
import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.layout.ArrayDescriptor;
import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.RootTableDescriptor;
import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor;
import dev.permafrost.layout.TypeIds;
import dev.permafrost.layout.TypeTableDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An object's content on one line, decoded from the store's own type descriptions: a struct's
 * fields by name (strings shown, long ones cut; references as offsets, with a referenced
 * string's text), strings, arrays (their first elements), the tables; untyped bytes as text
 * when printable, hex otherwise. Every offset and length read from the object is checked
 * against its payload before use.
 */
final class ObjectText {
    /** Characters of a string shown before it is cut. */
    static final int MAX_STRING_CHARS = 40;
    /** Elements of an array shown. */
    static final int MAX_ELEMENTS = 8;
    /** Bytes of an untyped payload shown. */
    static final int PREVIEW_BYTES = 24;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    private static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(StoreFormat.BYTE_ORDER);

    private final StoreImage image;
    private final Tables tables;
    private final MemorySegment memory;

    ObjectText(StoreImage image, Tables tables) {
        this.image = image;
        this.tables = tables;
        this.memory = image.memory();
    }

    /**
     * Returns an object's content on one line.
     *
     * @param offset the object
     * @param meta   its meta word
     * @return the content
     */
    String content(long offset, long meta) {
        int typeId = ObjectHeaderDescriptor.typeId(meta);
        long payloadBytes = ObjectHeaderDescriptor.payloadBytes(meta);
        MemorySegment payload = memory.asSlice(offset + ObjectHeaderDescriptor.LENGTH, payloadBytes);
        TypeEntryDescriptor.TypeEntry entry = tables.entry(typeId);
        if (entry != null) {
            return struct(entry, payload);
        }
        if (typeId == TypeIds.TYPE_TABLE && payloadBytes >= TypeTableDescriptor.ENTRIES_OFFSET) {
            return "types=" + TypeTableDescriptor.count(payload);
        }
        if (typeId == TypeIds.TYPE_DESCRIPTOR) {
            return "descriptor of " + descriptorName(payload);
        }
        if (typeId == TypeIds.ROOT_TABLE && payloadBytes >= RootTableDescriptor.ENTRIES_OFFSET) {
            StringBuilder s = new StringBuilder("roots={");
            for (Tables.Root r : tables.roots()) {
                s.append(s.length() > 7 ? ", " : "").append(r.name()).append("->").append(Units.hex(r.objectOffset()));
                if (s.length() > 200) {
                    s.append(", ...");
                    break;
                }
            }
            return s.append('}').toString();
        }
        if (typeId == TypeIds.REFERENCE_ARRAY && payloadBytes >= ArrayDescriptor.REFERENCES_OFFSET) {
            int element = payload.get(INT, ArrayDescriptor.ELEMENT_TYPE_OFFSET);
            long length = (payloadBytes - ArrayDescriptor.REFERENCES_OFFSET) / ArrayDescriptor.REFERENCE_BYTES;
            StringBuilder s = new StringBuilder(element == 0 ? "any" : tables.typeName(element)).append('[').append(length).append("] [");
            for (long i = 0; i < Math.min(length, MAX_ELEMENTS); i++) {
                s.append(i > 0 ? ", " : "").append(reference(payload.get(LONG, ArrayDescriptor.REFERENCES_OFFSET + 8 * i)));
            }
            return s.append(length > MAX_ELEMENTS ? ", ...]" : "]").toString();
        }
        if (ArrayDescriptor.isValueKind(typeId)) {
            return elements(typeId, payload);
        }
        return preview(payload);
    }

    /**
     * Writes a struct's fields as a JSON object under {@code "fields"}: numbers and booleans as
     * such, references as offsets (null for null), inline strings and arrays as their text;
     * nothing for objects that are not structs.
     *
     * @param json   the writer, inside the object's JSON object
     * @param offset the object
     * @param meta   its meta word
     */
    void fields(Json json, long offset, long meta) {
        TypeEntryDescriptor.TypeEntry entry = tables.entry(ObjectHeaderDescriptor.typeId(meta));
        if (entry == null) {
            return;
        }
        MemorySegment payload = memory.asSlice(offset + ObjectHeaderDescriptor.LENGTH, ObjectHeaderDescriptor.payloadBytes(meta));
        json.key("fields").beginObject();
        for (TypeEntryDescriptor.FieldEntry f : entry.fields()) {
            json.key(f.name());
            long at = f.payloadOffset();
            if (at + FieldKinds.fixedBytes(f.kind()) > payload.byteSize()) {
                json.value((String) null);
                continue;
            }
            switch (f.kind()) {
                case FieldKinds.BOOLEAN -> json.value(payload.get(ValueLayout.JAVA_BYTE, at) != 0);
                case FieldKinds.BYTE -> json.value(payload.get(ValueLayout.JAVA_BYTE, at));
                case FieldKinds.SHORT -> json.value(payload.get(SHORT, at));
                case FieldKinds.CHAR -> json.value(String.valueOf(payload.get(CHAR, at)));
                case FieldKinds.INT -> json.value(payload.get(INT, at));
                case FieldKinds.LONG -> json.value(payload.get(LONG, at));
                case FieldKinds.FLOAT -> json.value(payload.get(FLOAT, at));
                case FieldKinds.DOUBLE -> json.value(payload.get(DOUBLE, at));
                case FieldKinds.REFERENCE -> {
                    long target = payload.get(LONG, at);
                    if (target == 0) {
                        json.value((String) null);
                    } else {
                        json.value(target);
                    }
                }
                case FieldKinds.INLINE -> {
                    long slot = payload.get(LONG, at);
                    long from = StructDescriptor.inlineOffset(slot);
                    long length = StructDescriptor.inlineLength(slot);
                    json.value(slot == 0 || from + length > payload.byteSize() ? null
                            : elements(f.referencedTypeId(), payload.asSlice(from, length)));
                }
                default -> json.value((String) null);
            }
        }
        json.endObject();
    }

    private String struct(TypeEntryDescriptor.TypeEntry entry, MemorySegment payload) {
        StringBuilder s = new StringBuilder("{");
        for (TypeEntryDescriptor.FieldEntry f : entry.fields()) {
            s.append(s.length() > 1 ? ", " : "").append(f.name()).append('=');
            int width = FieldKinds.fixedBytes(f.kind());
            if (f.payloadOffset() + (long) width > payload.byteSize()) {
                s.append("(past the payload)");
                continue;
            }
            long at = f.payloadOffset();
            switch (f.kind()) {
                case FieldKinds.BOOLEAN -> s.append(payload.get(ValueLayout.JAVA_BYTE, at) != 0);
                case FieldKinds.BYTE -> s.append(payload.get(ValueLayout.JAVA_BYTE, at));
                case FieldKinds.SHORT -> s.append(payload.get(SHORT, at));
                case FieldKinds.CHAR -> s.append('\'').append(payload.get(CHAR, at)).append('\'');
                case FieldKinds.INT -> s.append(payload.get(INT, at));
                case FieldKinds.LONG -> s.append(payload.get(LONG, at));
                case FieldKinds.FLOAT -> s.append(payload.get(FLOAT, at));
                case FieldKinds.DOUBLE -> s.append(payload.get(DOUBLE, at));
                case FieldKinds.REFERENCE -> s.append(reference(payload.get(LONG, at)));
                case FieldKinds.INLINE -> {
                    long slot = payload.get(LONG, at);
                    long from = StructDescriptor.inlineOffset(slot);
                    long length = StructDescriptor.inlineLength(slot);
                    if (slot == 0) {
                        s.append("null");
                    } else if (from + length > payload.byteSize()) {
                        s.append("(inline bytes past the payload)");
                    } else {
                        s.append(elements(f.referencedTypeId(), payload.asSlice(from, length)));
                    }
                }
                default -> s.append("?");
            }
        }
        return s.append('}').toString();
    }

    /** A reference: its offset, and a string's text when it points at one. */
    private String reference(long target) {
        if (target == 0) {
            return "null";
        }
        String text = "->" + Units.hex(target);
        if (image.isHeapOffset(target)) {
            long meta = memory.get(LONG, target + ObjectHeaderDescriptor.META_OFFSET);
            long payloadBytes = ObjectHeaderDescriptor.payloadBytes(meta);
            if (ObjectHeaderDescriptor.typeId(meta) == TypeIds.STRING && memory.get(LONG, target) != 0
                    && ObjectHeaderDescriptor.blockBytes(meta) <= image.bumpOffset() - target) {
                text += " " + string(memory.asSlice(target + ObjectHeaderDescriptor.LENGTH, payloadBytes));
            }
        }
        return text;
    }

    private static String elements(int typeId, MemorySegment bytes) {
        if (typeId == TypeIds.STRING) {
            return string(bytes);
        }
        int size = ArrayDescriptor.elementBytes(typeId);
        if (size == 0) {
            return preview(bytes);
        }
        long length = bytes.byteSize() / size;
        StringBuilder s = new StringBuilder(TypeIds.builtinName(typeId).replace("[]", "")).append('[').append(length).append("] [");
        for (long i = 0; i < Math.min(length, MAX_ELEMENTS); i++) {
            long at = i * size;
            s.append(i > 0 ? ", " : "").append(switch (typeId) {
                case TypeIds.BYTE_ARRAY -> Byte.toString(bytes.get(ValueLayout.JAVA_BYTE, at));
                case TypeIds.SHORT_ARRAY -> Short.toString(bytes.get(SHORT, at));
                case TypeIds.CHAR_ARRAY -> "'" + bytes.get(CHAR, at) + "'";
                case TypeIds.INT_ARRAY -> Integer.toString(bytes.get(INT, at));
                case TypeIds.LONG_ARRAY -> Long.toString(bytes.get(LONG, at));
                case TypeIds.FLOAT_ARRAY -> Float.toString(bytes.get(FLOAT, at));
                default -> Double.toString(bytes.get(DOUBLE, at));
            });
        }
        return s.append(length > MAX_ELEMENTS ? ", ...]" : "]").toString();
    }

    /** A string, quoted, cut after {@link #MAX_STRING_CHARS} characters. */
    static String string(MemorySegment utf8) {
        long take = Math.min(utf8.byteSize(), MAX_STRING_CHARS * 4L);
        String s = new String(utf8.asSlice(0, take).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        boolean cut = take < utf8.byteSize() || s.length() > MAX_STRING_CHARS;
        if (s.length() > MAX_STRING_CHARS) {
            s = s.substring(0, MAX_STRING_CHARS);
        }
        s = s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "\"" + s + "\"" + (cut ? String.format(Locale.ROOT, "... (%d bytes)", utf8.byteSize()) : "");
    }

    /** Untyped bytes: text if printable UTF-8, hex otherwise, cut after {@link #PREVIEW_BYTES} bytes. */
    static String preview(MemorySegment payload) {
        int shown = (int) Math.min(PREVIEW_BYTES, payload.byteSize());
        byte[] bytes = payload.asSlice(0, shown).toArray(ValueLayout.JAVA_BYTE);
        String cut = payload.byteSize() > shown ? "... (" + payload.byteSize() + " bytes)" : "";
        if (shown > 0 && isText(bytes)) {
            String text = new String(bytes, StandardCharsets.UTF_8).replace("\uFFFD", "");
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" + cut;
        }
        StringBuilder hex = new StringBuilder("hex:");
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return (shown == 0 ? "(empty)" : hex.toString()) + cut;
    }

    private String descriptorName(MemorySegment payload) {
        if (payload.byteSize() < TypeEntryDescriptor.NAME_OFFSET) {
            return "?";
        }
        int length = payload.get(INT, TypeEntryDescriptor.NAME_BYTES_OFFSET);
        if (length < 0 || TypeEntryDescriptor.NAME_OFFSET + (long) length > payload.byteSize()) {
            return "?";
        }
        return string(payload.asSlice(TypeEntryDescriptor.NAME_OFFSET, length)) + " (type id "
                + payload.get(INT, TypeEntryDescriptor.TYPE_ID_OFFSET) + ")";
    }

    private static boolean isText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0 || (b >= 0 && b < 0x20 && b != '\n' && b != '\t')) {
                return false;
            }
        }
        return true;
    }
}
