package dev.permafrost.heapdump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreNotCleanException;
import dev.permafrost.error.StoreRecoveryException;
import dev.permafrost.error.StoreStateException;
import dev.permafrost.layout.SizeClasses;
import dev.permafrost.store.OpenMode;
import dev.permafrost.store.RecordType;
import dev.permafrost.store.RecoveryReport;
import dev.permafrost.store.Ref;
import dev.permafrost.store.Store;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner SIGKILLed at a random moment of a build, many times, each in a fresh JVM
 * ({@link KilledOwner} running a {@link CrashScript}): during record writes, root changes,
 * heap growth, type registration, commits (a quarter of the seeds commit after every 1 to 3
 * operations, so many kills land inside {@code commit}) and freezes. After each kill:
 *
 * <ol>
 *   <li>the next open reports the unclean close ({@link StoreNotCleanException}), unless the
 *       freeze had committed (a frozen store opens as it is);</li>
 *   <li>{@link Store#recover} (on every other kill through {@code heap-dump recover}) brings the
 *       store back to its last commit: the roots are exactly that commit's (or the next one's, when
 *       the kill landed inside a commit whose slot was already written), and every object the
 *       commit reached is there and intact, counted against a replay of the seed (the owner
 *       printed each commit's object count and checksum before it went on); a refusal
 *       ({@link StoreRecoveryException}) counts as a lost store;</li>
 *   <li>the full {@code verify} ({@link Verifier}) finds nothing: free lists, counts against the
 *       walk, references, no unreachable object (what was written after the commit is gone);</li>
 *   <li>the store works on: it opens as owner, takes an object, commits and closes clean;</li>
 *   <li>a frozen store is not changed by anything: recover, a copy-on-write opener, an owner
 *       refused (the file's SHA-256 before and after).</li>
 * </ol>
 * A handful of kills by default; {@code -Dpermafrost.crash.kills=200} for the number the
 * reliability doc gives, {@code -Dpermafrost.crash.seed=S} to repeat a run. Prints the counts.
 * Regression for "the last commit is not a consistent snapshot" (the committed root table was
 * changed in place after the commit).
 */
class OwnerKilledDuringBuildTest {
    private static final int KILLS = Integer.getInteger("permafrost.crash.kills", 6);

    @TempDir
    Path dir;

    /** What the kills found. */
    private static final class Tally {
        int kills;
        int storesLost;
        long objectsChecked;
        long objectsLost;
        int frozen;
        int untrimmedFreezes;
        int recoveredToInFlightCommit;
        int viaCli;
        final int[] phases = new int[KilledOwner.PHASES.length];
        final List<String> failures = new ArrayList<>();

        void fail(long seed, String what) {
            if (failures.size() < 20) {
                failures.add("seed " + seed + ": " + what);
            }
        }
    }

    /** The owner's report: what it committed before it died. */
    private record Heard(int confirmed, long confirmedObjects, long confirmedDigest, int inFlight, boolean freezing,
                         boolean frozen) {
    }

    @Test
    void everyCommittedObjectSurvivesAKilledOwnerAndNothingAfterTheCommitDoes() throws Exception {
        long runSeed = Long.getLong("permafrost.crash.seed", System.nanoTime());
        Random random = new Random(runSeed);
        Tally tally = new Tally();
        long started = System.nanoTime();
        for (int kill = 0; kill < KILLS; kill++) {
            long seed = random.nextLong();
            Path path = dir.resolve("s" + kill + ".pf");
            Path phaseFile = dir.resolve("phase" + kill);
            Files.write(phaseFile, new byte[8]);
            Heard heard = runAndKill(path, seed, phaseFile, random);
            ByteBuffer phase = ByteBuffer.wrap(Files.readAllBytes(phaseFile)); // big-endian, as the owner's MappedByteBuffer writes
            tally.phases[phase.getInt(0)]++;
            tally.kills++;
            try {
                check(path, seed, heard, kill % 2 == 1, tally);
            } catch (AssertionError | RuntimeException e) {
                tally.storesLost++;
                tally.fail(seed, "killed in " + KilledOwner.PHASES[phase.getInt(0)] + " of commit " + phase.getInt(4)
                        + ", heard " + heard + ": " + e);
            }
            Files.deleteIfExists(path);
            Files.delete(phaseFile);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        StringBuilder where = new StringBuilder();
        for (int p = 1; p < tally.phases.length; p++) {
            where.append(p == 1 ? "" : ", ").append(KilledOwner.PHASES[p]).append(' ').append(tally.phases[p]);
        }
        System.out.printf("OwnerKilledDuringBuildTest (seed %d): %d kills, %d stores lost, %,d committed objects checked,"
                        + " %d committed objects lost; %d recovered to the commit in flight, %d frozen (%d killed before the"
                        + " freeze trimmed the file), %d recovered through"
                        + " heap-dump recover; kills landed in: %s; %d s%n", runSeed, tally.kills, tally.storesLost,
                tally.objectsChecked, tally.objectsLost, tally.recoveredToInFlightCommit, tally.frozen, tally.untrimmedFreezes,
                tally.viaCli, where,
                seconds);
        assertThat(tally.failures).as("stores lost").isEmpty();
        assertThat(tally.objectsLost).as("committed objects lost").isZero();
        assertThat(tally.objectsChecked).as("committed objects checked").isPositive();
    }

    /** Starts an owner, lets it commit a few times, kills it at a random moment; returns what it said. */
    private static Heard runAndKill(Path path, long seed, Path phaseFile, Random random) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                "-cp", CowCommandTest.classPath(), KilledOwner.class.getName(), path.toString(), Long.toString(seed),
                phaseFile.toString()));
        Process owner = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new ArrayList<>();
        try (InputStream stdout = owner.getInputStream()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
            int killAfterCommit = 1 + random.nextInt(8);
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("freezing ") && random.nextBoolean()
                        || line.startsWith("frozen ")
                        || line.startsWith("committed ") && Integer.parseInt(line.split(" ")[1]) >= killAfterCommit) {
                    break;
                }
            }
            if (line == null) {
                throw new AssertionError("the owner ended before it was killed: " + lines);
            }
            // inside the freeze (a few milliseconds) or the next operations; a third at once
            int pause = random.nextInt(3) == 0 ? 0 : line.startsWith("freezing ") ? random.nextInt(5) : random.nextInt(60);
            if (pause > 0) {
                Thread.sleep(pause);
            }
            owner.toHandle().destroyForcibly(); // SIGKILL; Process.destroyForcibly would close the pipe too
            assertThat(owner.waitFor(60, TimeUnit.SECONDS)).isTrue();
            while ((line = out.readLine()) != null) { // printed before it died
                lines.add(line);
            }
        } finally {
            owner.destroyForcibly();
            owner.waitFor(60, TimeUnit.SECONDS);
        }
        int confirmed = 0;
        long objects = 0;
        long digest = 0;
        int inFlight = 0;
        boolean freezing = false;
        boolean frozen = false;
        for (String l : lines) {
            String[] words = l.split(" ");
            switch (words[0]) {
                case "committing" -> inFlight = Integer.parseInt(words[1]);
                case "committed" -> {
                    confirmed = Integer.parseInt(words[1]);
                    objects = Long.parseLong(words[2]);
                    digest = Long.parseLong(words[3]);
                    inFlight = 0;
                }
                case "freezing" -> freezing = true;
                case "frozen" -> frozen = true;
                default -> throw new AssertionError("unexpected output from the owner: " + l);
            }
        }
        return new Heard(confirmed, objects, digest, inFlight, freezing, frozen);
    }

    private static void check(Path path, long seed, Heard heard, boolean viaCli, Tally tally) throws Exception {
        // what the owner committed: replay the seed
        CrashScript script = new CrashScript(seed);
        CrashScript.Model confirmed = null;
        CrashScript.Model inFlight = null;
        int commits = 0;
        for (CrashScript.Op op = script.next(); op != null; op = script.next()) {
            if (op instanceof CrashScript.Commit c) {
                commits = c.number();
                if (commits == heard.confirmed()) {
                    confirmed = script.model().copy();
                } else if (commits == heard.inFlight()) {
                    inFlight = script.model().copy();
                }
                if (commits > Math.max(heard.confirmed(), heard.inFlight())) {
                    break;
                }
            }
        }
        assertThat(confirmed).as("commit %d in the replay", heard.confirmed()).isNotNull();
        assertThat(confirmed.reachable().size()).as("the replay's objects").isEqualTo(heard.confirmedObjects());
        assertThat(confirmed.digest()).as("the replay's checksum").isEqualTo(heard.confirmedDigest());

        boolean isFrozen;
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            isFrozen = store.isFrozen();
        } catch (StoreNotCleanException e) {
            isFrozen = false;
        }
        if (isFrozen) {
            assertThat(heard.freezing()).as("frozen without a freeze").isTrue();
            tally.frozen++;
            checkFrozenStoreIsNeverChanged(path, viaCli);
        } else {
            assertThat(heard.frozen()).as("the freeze returned, but the store is not frozen").isFalse();
            RecoveryReport report = null;
            if (viaCli) {
                HeapDumpTest.Run run = HeapDumpTest.run("recover", path.toString());
                assertThat(run.code()).as("heap-dump recover: " + run.err()).isEqualTo(HeapDump.OK);
                assertThat(run.out().lines()).hasSize(1);
                assertThat(run.out()).contains("recovered to commit generation");
                tally.viaCli++;
            } else {
                report = Store.recover(path);
                assertThat(report.recovered()).as(report.summary()).isTrue();
            }
            assertThat(Store.recover(path).recovered()).as("a second recovery finds nothing to do").isFalse();
        }
        // the roots are exactly those of one commit: the last confirmed one, or the one in flight
        CrashScript.Model expected;
        try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
            Set<String> roots = new TreeSet<>(store.types().rootNames());
            List<String> problems = new ArrayList<>();
            expected = confirmed;
            long[] found = compare(store, confirmed, problems);
            if (inFlight != null && (found[1] > 0 || !roots.equals(confirmed.roots.keySet()))) {
                // the kill came inside commit N after its slot was written: the store is at N
                List<String> inFlightProblems = new ArrayList<>();
                long[] inFlightFound = compare(store, inFlight, inFlightProblems);
                if (inFlightFound[1] == 0 && roots.equals(inFlight.roots.keySet())) {
                    expected = inFlight;
                    found = inFlightFound;
                    problems = inFlightProblems;
                    tally.recoveredToInFlightCommit++;
                }
            }
            tally.objectsChecked += found[0];
            tally.objectsLost += found[1];
            assertThat(found[1]).as("committed objects lost or damaged: %s", problems).isZero();
            assertThat(roots).as("roots: exactly the commit's, none written after it").isEqualTo(expected.roots.keySet());
            // the counts agree with a walk of the heap
            long[] walked = new long[2];
            store.forEachObject((offset, type, bytes, count) -> {
                walked[0]++;
                walked[1] += SizeClasses.blockBytes(bytes);
            });
            assertThat(store.stats().liveObjects()).as("live objects against the walk").isEqualTo(walked[0]);
            assertThat(store.stats().liveBytes()).as("live bytes against the walk").isEqualTo(walked[1]);
        }
        // the full structural check: free lists, counts, references, nothing unreachable
        try (StoreImage image = StoreImage.open(path)) {
            List<Verifier.Finding> findings = new ArrayList<>(new Verifier(image).run((label, total) -> Progress.NONE).findings());
            // a freeze killed between its frozen commit and the trim: frozen and whole, the file longer than
            // it needs (readers map the boundary only); verify says so, and nothing finishes the trim (open)
            if (isFrozen && findings.removeIf(f -> f.what().contains("longer than its frozen boundary"))) {
                tally.untrimmedFreezes++;
            }
            assertThat(findings).as("verify after recovery").isEmpty();
        }
        if (!isFrozen) { // the store works on
            try (Store store = Store.open(path, OpenMode.OWNER)) {
                RecordType<CrashScript.Item> items = store.types().register(CrashScript.Item.class, MethodHandles.lookup());
                store.types().adoptRoot("after", items.write(new CrashScript.Item(-1, "after", new long[3], null)));
                store.commit();
            }
            try (Store store = Store.open(path, OpenMode.READ_ONLY)) {
                assertThat(store.types().rootNames()).contains("after");
            }
        }
    }

    /** Compares every object the commit's roots reach with the model; returns {checked, lost}. */
    private static long[] compare(Store store, CrashScript.Model expected, List<String> problems) {
        RecordType<CrashScript.Item> items = store.types().register(CrashScript.Item.class, MethodHandles.lookup());
        List<RecordType<? extends Record>> kinds = new ArrayList<>();
        for (int k = 0; k < expected.kindsRegistered; k++) {
            kinds.add(store.types().register(CrashScript.KINDS.get(k), MethodHandles.lookup()));
        }
        long[] counts = new long[2];
        Set<Long> seen = new HashSet<>();
        for (Map.Entry<String, Long> root : expected.roots.entrySet()) {
            Ref<?> at = store.types().root(root.getKey()).orElse(null);
            long id = root.getValue();
            if (at == null) {
                if (seen.add(id)) {
                    counts[1]++; // the root is missing
                    problems.add("root " + root.getKey() + " is missing");
                }
                continue;
            }
            while (at != null && seen.add(id)) {
                CrashScript.Obj want = expected.objects.get(id);
                Ref<?> next = null;
                boolean intact;
                try {
                    Object read;
                    if (want.kind() < 0) {
                        CrashScript.Item item = items.isInstance(at) ? items.read(at.offset()) : null;
                        read = item;
                        intact = item != null && item.id() == id && item.name().equals(CrashScript.nameOf(id))
                                && Arrays.equals(item.data(), CrashScript.dataOf(id, want.dataLongs()))
                                && (item.next() == null) == (want.next() < 0);
                        if (intact) {
                            next = item.next();
                        }
                    } else {
                        RecordType<? extends Record> kind = kinds.get(want.kind());
                        read = kind.isInstance(at) ? kind.read(at.offset()) : store.types().decode(at);
                        intact = Objects.equals(read.toString(), CrashScript.KINDS.get(want.kind()).getSimpleName()
                                + "[id=" + id + ", label=" + CrashScript.labelOf(want.kind(), id) + "]");
                    }
                    if (!intact && problems.size() < 3) {
                        problems.add("object " + id + ": expected " + want + ", read " + read);
                    }
                } catch (PermafrostException e) {
                    intact = false;
                    if (problems.size() < 3) {
                        problems.add("object " + id + ": " + e);
                    }
                }
                counts[intact ? 0 : 1]++;
                if (!intact) {
                    break;
                }
                at = next;
                id = want.next();
            }
        }
        return counts;
    }

    private static void checkFrozenStoreIsNeverChanged(Path path, boolean viaCli) throws Exception {
        byte[] before = sha256(path);
        if (viaCli) {
            HeapDumpTest.Run run = HeapDumpTest.run("recover", path.toString());
            assertThat(run.code()).as(run.err()).isEqualTo(HeapDump.OK);
            assertThat(run.out()).contains("nothing to recover");
        } else {
            assertThat(Store.recover(path).recovered()).isFalse();
        }
        try (Store worker = Store.open(path, OpenMode.COPY_ON_WRITE)) {
            RecordType<CrashScript.Item> items = worker.types().register(CrashScript.Item.class, MethodHandles.lookup());
            for (String name : worker.types().rootNames()) {
                Ref<?> root = worker.types().root(name).orElseThrow();
                worker.retain(root);
                worker.release(root);
            }
            worker.release(items.write(new CrashScript.Item(-2, "worker", new long[100], null)));
        }
        try {
            Store.open(path, OpenMode.OWNER).close();
            throw new AssertionError("a frozen store opened as owner");
        } catch (StoreStateException expected) {
            assertThat(expected.getMessage()).contains("frozen");
        }
        assertThat(sha256(path)).as("the frozen file after recover, a worker and an owner").isEqualTo(before);
    }

    /** Streamed: a freeze killed before it trimmed the file leaves it at its full capacity. */
    private static byte[] sha256(Path path) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        }
        return sha.digest();
    }
}
