package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.layout.StoreFormat;
import dev.permafrost.layout.StructDescriptor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ASCII bit of inline string slots: the writer sets it exactly when every stored byte is
 * below 0x80, and every reader (the generated decoder, {@link StringField}) decodes either kind
 * as {@code new String(bytes, UTF_8)} would.
 */
class Utf8Test {
    record Labelled(String label, byte[] raw) {
    }

    private static final List<String> SAMPLES = List.of("", "a", "plain ASCII, 7-bit only", "~\u007f", "é",
            "Stanisław Lem", "日本語", "emoji 😀", "ascii then ü", "\uD800 unpaired", "ends unpaired \uDC00");

    @TempDir
    Path dir;

    @Test
    void theWriterMarksExactlyTheStringsWhoseBytesAreAllAscii() {
        try (Store store = Store.create(dir.resolve("s.pf"), 1 << 20)) {
            RecordType<Labelled> type = store.types().register(Labelled.class);
            int labelAt = field(type, "label").payloadOffset();
            int rawAt = field(type, "raw").payloadOffset();
            for (String s : SAMPLES) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                var object = type.write(new Labelled(s, new byte[] {1, 2, 3}));
                long slot = store.payload(object).get(StoreFormat.LONG, labelAt);
                boolean allAscii = true;
                for (byte b : utf8) {
                    allAscii &= b >= 0;
                }
                assertThat(StructDescriptor.isAscii(slot)).as("ASCII bit of %s", s).isEqualTo(allAscii);
                assertThat(StructDescriptor.inlineLength(slot)).isEqualTo(utf8.length);
                assertThat(StructDescriptor.isAscii(store.payload(object).get(StoreFormat.LONG, rawAt)))
                        .as("arrays never carry the bit").isFalse();
                String expected = new String(utf8, StandardCharsets.UTF_8); // an unpaired surrogate was written as '?'
                assertThat(type.read(object).label()).isEqualTo(expected);
                assertThat(type.stringField("label").get(object)).isEqualTo(expected);
            }
        }
    }

    @Test
    void asciiOfEveryLengthDecodesToItselfEitherWay() {
        try (Arena arena = Arena.ofConfined()) {
            for (int length = 0; length <= 40; length++) {
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) i; // every ASCII value, control characters and NUL included
                }
                assertThat(decode(arena, bytes, true)).isEqualTo(new String(bytes, StandardCharsets.US_ASCII));
                assertThat(decode(arena, bytes, false)).isEqualTo(new String(bytes, StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void unmarkedBytesTakeTheUtf8DecoderMalformedOnesIncluded() {
        try (Arena arena = Arena.ofConfined()) {
            for (byte[] bytes : List.of(new byte[] {(byte) 0x80}, new byte[] {'a', (byte) 0xFF, 'b'},
                    new byte[] {(byte) 0xC3, (byte) 0xA9}, new byte[] {(byte) 0xE6, (byte) 0x97})) {
                assertThat(decode(arena, bytes, false)).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }

    private static FieldInfo field(RecordType<?> type, String name) {
        return type.info().fields().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    /** From native memory at an odd offset. */
    private static String decode(Arena arena, byte[] bytes, boolean ascii) {
        MemorySegment memory = arena.allocate(bytes.length + 3L);
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 3, bytes.length);
        return Utf8.decode(memory, 3, bytes.length, ascii);
    }
}
