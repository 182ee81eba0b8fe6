package dev.permafrost.types;

import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Stored UTF-8 bytes and Java strings: decoding into a heap string with one copy out of the
 * mapping, and comparing with a Java string without allocating.
 */
final class Utf8 {
    /** Eight bytes of a {@code byte[]} at once, little-endian like the store. */
    private static final VarHandle BYTES_AS_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private Utf8() {
    }

    /**
     * Decodes stored UTF-8 bytes into a heap string ({@code new String(bytes, UTF_8)} of a copy).
     *
     * @param memory      the store's memory
     * @param at          offset of the first byte
     * @param lengthBytes how many bytes
     * @return the string
     */
    static String decode(MemorySegment memory, long at, int lengthBytes) {
        byte[] bytes = new byte[lengthBytes];
        long high = 0;
        int i = 0;
        for (; i <= lengthBytes - Long.BYTES; i += Long.BYTES) { // a word at a time: one bounds check each, no copy stub
            long word = memory.get(StoreFormat.LONG, at + i);
            high |= word;
            BYTES_AS_LONG.set(bytes, i, word);
        }
        for (; i < lengthBytes; i++) {
            byte b = memory.get(ValueLayout.JAVA_BYTE, at + i);
            high |= b;
            bytes[i] = b;
        }
        // ASCII (most keys and names) is Latin-1 as it stands: the string takes the bytes without a second scan
        return new String(bytes, (high & HIGH_BITS) == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /**
     * Returns whether the bytes are the UTF-8 encoding of the string, as
     * {@code s.getBytes(UTF_8)} would give it (an unpaired surrogate encodes as {@code '?'}).
     *
     * @param memory      the store's memory
     * @param at          offset of the first byte
     * @param lengthBytes how many bytes
     * @param s           the string
     * @return whether they are equal
     */
    static boolean equals(MemorySegment memory, long at, int lengthBytes, String s) {
        int chars = s.length();
        if (lengthBytes < chars || lengthBytes > 3L * chars) { // every char takes 1 to 3 bytes
            return false;
        }
        long i = at;
        long end = at + lengthBytes;
        int k = 0;
        while (k + 8 <= chars && end - i >= 8) { // 8 ASCII chars against one 8-byte read
            long packed = 0;
            int any = 0;
            for (int b = 0; b < 8; b++) {
                char c = s.charAt(k + b);
                any |= c;
                packed |= (long) c << (8 * b);
            }
            if (any >= 0x80) {
                break;
            }
            if (memory.get(StoreFormat.LONG, i) != packed) {
                return false;
            }
            i += 8;
            k += 8;
        }
        for (; k < chars; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                if (i >= end || memory.get(ValueLayout.JAVA_BYTE, i) != (byte) c) {
                    return false;
                }
                i++;
                continue;
            }
            int codePoint = c;
            int bytes;
            if (c < 0x800) {
                bytes = 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && k + 1 < chars && Character.isLowSurrogate(s.charAt(k + 1))) {
                    codePoint = Character.toCodePoint(c, s.charAt(++k));
                    bytes = 4;
                } else {
                    codePoint = '?';
                    bytes = 1;
                }
            } else {
                bytes = 3;
            }
            if (end - i < bytes || !matches(memory, i, codePoint, bytes)) {
                return false;
            }
            i += bytes;
        }
        return i == end;
    }

    private static boolean matches(MemorySegment memory, long i, int codePoint, int bytes) {
        if (bytes == 1) {
            return memory.get(ValueLayout.JAVA_BYTE, i) == (byte) codePoint;
        }
        int lead = switch (bytes) {
            case 2 -> 0xC0 | (codePoint >>> 6);
            case 3 -> 0xE0 | (codePoint >>> 12);
            default -> 0xF0 | (codePoint >>> 18);
        };
        if (memory.get(ValueLayout.JAVA_BYTE, i) != (byte) lead) {
            return false;
        }
        for (int b = 1; b < bytes; b++) {
            int shift = 6 * (bytes - 1 - b);
            if (memory.get(ValueLayout.JAVA_BYTE, i + b) != (byte) (0x80 | ((codePoint >>> shift) & 0x3F))) {
                return false;
            }
        }
        return true;
    }
}
