package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.permafrost.error.CorruptStoreException;
import dev.permafrost.layout.StoreFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Ref} component whose stored word is no object offset (not 16-aligned, negative):
 * reading it through the record type or the reference field accessor threw a bare
 * {@link IllegalArgumentException} from {@link Ref}'s constructor, naming neither the file nor
 * the field.
 */
class DamagedReferenceFieldTest {
    public record Node(long value, Ref<Node> next) {
    }

    @TempDir
    Path dir;

    @Test
    void aReferenceFieldHoldingNoObjectOffsetIsACorruptStoreErrorNamingFileAndField() {
        for (long bad : new long[] {0x18, -16, 0x1001}) {
            Path path = dir.resolve("s" + Long.toHexString(bad & 0xffff) + ".pf");
            long node;
            try (Store store = Store.create(path, 1 << 20)) {
                RecordType<Node> nodes = store.types().register(Node.class);
                Ref<Node> tail = nodes.write(new Node(1, null));
                node = nodes.write(new Node(2, tail)).offset();
                store.payload(node).set(StoreFormat.LONG, nodes.info().field("next").payloadOffset(), bad);
            }
            try (Store store = Store.open(path, OpenMode.COPY_ON_WRITE)) {
                RecordType<Node> nodes = store.types().register(Node.class);
                for (Throwable thrown : new Throwable[] {catchThrowable(() -> nodes.read(node)),
                        catchThrowable(() -> nodes.referenceField("next").get(Ref.to(node))),
                        catchThrowable(() -> store.types().decode(node))}) {
                    assertThat(thrown).isInstanceOf(CorruptStoreException.class)
                            .hasMessageContaining(path.toString()).hasMessageContaining("'next'");
                }
            }
        }
    }
}
