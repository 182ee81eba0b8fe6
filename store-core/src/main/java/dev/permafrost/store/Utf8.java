package dev.permafrost.store;

import dev.permafrost.layout.StoreFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Stored UTF-8 bytes and Java strings: decoding them into a heap string (with a fast path for
 * bytes the writer marked ASCII, the common case), and comparing them with a string without
 * allocating.
 */
final class Utf8 {
    private Utf8() {
    }

    /**
     * Decodes stored UTF-8 bytes into a heap string, as {@code new String(bytes, UTF_8)} would
     * (a malformed sequence becomes U+FFFD). Bytes known to be ASCII (an inline string whose
     * slot has {@link dev.permafrost.layout.StructDescriptor#INLINE_ASCII} set, the common case)
     * skip the UTF-8 decoder: they become a Latin-1 string with one copy. That constructor
     * ({@code String(byte[], int hibyte, int, int)}) is deprecated only because it maps each
     * byte to a char with the high byte given, which is exactly right for ASCII; and it is small
     * enough for the JIT to inline into a generated decoder, where the charset constructor is not.
     * A damaged file that sets the bit on other bytes gets Latin-1 characters, never an error
     * or a read outside the bytes.
     *
     * @param memory      the memory the bytes are in (the caller checked the range)
     * @param at          offset of the first byte
     * @param lengthBytes how many bytes
     * @param ascii       whether the writer recorded them as all ASCII
     * @return the string
     */
    @SuppressWarnings("deprecation")
    static String decode(MemorySegment memory, long at, int lengthBytes, boolean ascii) {
        byte[] bytes = new byte[lengthBytes];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, at, bytes, 0, lengthBytes);
        return ascii ? new String(bytes, 0, 0, lengthBytes) : new String(bytes, StandardCharsets.UTF_8);
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
