package dev.permafrost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.permafrost.error.PermafrostException;
import dev.permafrost.heapdump.HeapDump;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every {@code heap-dump} command that reads a store file, run in this JVM on a damaged store or
 * cache version, text or JSON. A command ends with exit 0 (1 for {@code verify}'s findings), or
 * with exit 2 and one line on stderr whose cause is a {@link PermafrostException} naming the file
 * (the stack trace {@code --debug} prints says which exception it was: the CLI's last-resort
 * handler also turns other exceptions into one line, and each of those is a finding), or a
 * usage error naming the file when {@code objects --type} or {@code --root} names what the
 * damaged store does not have. Only
 * {@code recover} may change the file, and only when it succeeds.
 *
 * <p>{@code cow} and {@code workers} read a live process's {@code /proc} files, not a file's
 * bytes; they are not fuzzed here.
 */
class HeapDumpFuzzTest {
    private static Path dir;
    private static List<Seeds.Seed> seeds;
    private static Path input;

    @BeforeAll
    static void buildSeeds() {
        dir = Seeds.scratchDirectory();
        seeds = new ArrayList<>(Seeds.stores(dir));
        seeds.add(Seeds.cacheVersion(dir));
        input = dir.resolve("input.pf");
    }

    @AfterAll
    static void removeSeeds() {
        Seeds.delete(dir);
    }

    @FuzzTest(maxDuration = "10s")
    void info(FuzzedDataProvider data) {
        run(data, "info");
    }

    @FuzzTest(maxDuration = "10s")
    void histo(FuzzedDataProvider data) {
        run(data, "histo", "--sort", data.pickValue(List.of("bytes", "count")), "--top", Integer.toString(data.consumeInt(1, 40)));
    }

    @FuzzTest(maxDuration = "10s")
    void objects(FuzzedDataProvider data) {
        List<String> options = new ArrayList<>(List.of("--limit", Integer.toString(data.consumeInt(0, 200))));
        switch (data.consumeInt(0, 2)) {
            case 0 -> options.addAll(List.of("--type", data.pickValue(List.of("Everything", "Inner", "Chain", "string",
                    "long[]", "reference[]", "type#64", "65", "raw", "cache.header"))));
            case 1 -> options.addAll(List.of("--root", data.pickValue(Seeds.ROOT_NAMES)));
            default -> { }
        }
        run(data, "objects", options.toArray(String[]::new));
    }

    @FuzzTest(maxDuration = "10s")
    void refcounts(FuzzedDataProvider data) {
        run(data, "refcounts");
    }

    @FuzzTest(maxDuration = "10s")
    void verify(FuzzedDataProvider data) {
        run(data, "verify");
    }

    @FuzzTest(maxDuration = "10s")
    void recover(FuzzedDataProvider data) {
        run(data, "recover");
    }

    /** Damages a seed, runs the command on it, and checks how it ended. */
    private static void run(FuzzedDataProvider data, String command, String... options) {
        boolean json = data.consumeBoolean();
        Seeds.Seed seed = seeds.get(data.consumeInt(0, seeds.size() - 1));
        byte[] bytes = Damage.apply(seed, data);
        Seeds.writeAll(input, bytes);
        List<String> args = new ArrayList<>(List.of(command, input.toString()));
        args.addAll(List.of(options));
        if (json) {
            args.add("--json");
        }
        args.add("--debug");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeapDump.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        String what = String.join(" ", args) + " on damaged " + seed.name() + ", stderr:\n" + err;
        assertThat(code).as(what).isIn(command.equals("verify") ? List.of(HeapDump.OK, HeapDump.FINDINGS, HeapDump.BAD_INPUT)
                : List.of(HeapDump.OK, HeapDump.BAD_INPUT));
        boolean changed = !Arrays.equals(Seeds.readAll(input), bytes);
        if (code == HeapDump.BAD_INPUT) {
            String[] lines = err.toString().split("\n");
            assertThat(lines.length).as(what).isGreaterThan(1); // --debug: the stack trace follows
            String thrown = lines[1].split(":", 2)[0].strip();
            if (thrown.equals("picocli.CommandLine$ParameterException")) { // an option names what this store lacks
                assertThat(lines[0]).as(what).startsWith("heap-dump: no ").contains(input.toString());
            } else {
                assertThat(lines[0]).as(what).startsWith("heap-dump " + command + ": ").contains(input.toString());
                assertThat(isPermafrostException(thrown)).as("%s threw %s", what, thrown).isTrue();
            }
            assertThat(changed).as("%s refused and changed the file", what).isFalse();
        } else if (!command.equals("recover")) {
            assertThat(changed).as("%s changed the file", what).isFalse();
        }
    }

    private static boolean isPermafrostException(String className) {
        try {
            return PermafrostException.class.isAssignableFrom(Class.forName(className, false, HeapDumpFuzzTest.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
