package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.store.RecordType;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import dev.permafrost.store.Types;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every read-only command on stores with random bytes overwritten: each run ends with exit 0,
 * 1 (verify) or 2 and one line on stderr, never an unexpected exception, a crash or a hang.
 */
class DamagedStoreTest {
    record Node(int value, String label, Ref<Node> next, long[] data) {
    }

    @TempDir
    Path dir;

    @Test
    void noCommandFailsUnexpectedlyOnARandomlyDamagedStore() throws IOException {
        Path clean = dir.resolve("clean.pf");
        try (Store store = Store.create(clean, 1 << 20)) {
            Types types = store.types();
            RecordType<Node> nodes = types.register(Node.class, "Node", MethodHandles.lookup());
            long next = 0;
            for (int i = 0; i < 200; i++) {
                long n = nodes.write(new Node(i, "node " + i, next == 0 ? null : Ref.to(next), new long[i % 5])).offset();
                if (next != 0) {
                    store.release(next);
                }
                next = n;
            }
            types.adoptRoot("head", Ref.to(next));
            store.freeze();
        }
        byte[] original = Files.readAllBytes(clean);
        Random random = new Random(20261125);
        String[][] commands = {{"info"}, {"histo"}, {"refcounts"}, {"objects", "--limit", "0"},
            {"objects", "--root", "head", "--limit", "0"}, {"verify"}};
        int[] codes = new int[3];
        for (int round = 0; round < 60; round++) {
            byte[] damaged = original.clone();
            int hits = 1 + random.nextInt(4);
            for (int h = 0; h < hits; h++) {
                // mostly the heap, sometimes the superblock or a commit slot
                int at = random.nextInt(10) == 0 ? random.nextInt(3 * 4096) : 3 * 4096 + random.nextInt(damaged.length - 3 * 4096);
                damaged[at] = (byte) random.nextInt(256);
                if (random.nextBoolean() && at + 8 < damaged.length) {
                    damaged[at + 7] = (byte) random.nextInt(256); // a high byte: offsets and lengths far away
                }
            }
            Path file = dir.resolve("damaged-" + round + ".pf");
            Files.write(file, damaged);
            for (String[] command : commands) {
                String[] args = new String[command.length + 1];
                args[0] = command[0];
                args[1] = file.toString();
                System.arraycopy(command, 1, args, 2, command.length - 1);
                HeapDumpTest.Run run = HeapDumpTest.run(args);
                assertThat(run.code()).as(String.join(" ", args) + ": " + run.err()).isBetween(0, 2);
                assertThat(run.err()).as(String.join(" ", args)).doesNotContain("unexpected error");
                if (run.code() == 2) {
                    assertThat(run.err().strip()).as(String.join(" ", args)).doesNotContain("\n");
                }
                codes[run.code()]++;
            }
            Files.delete(file);
        }
        assertThat(codes[1] + codes[2]).as("some damage is found").isPositive();
    }
}
