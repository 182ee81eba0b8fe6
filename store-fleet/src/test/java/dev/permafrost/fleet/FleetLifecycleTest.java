package dev.permafrost.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.store.Store;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor with real worker JVMs: restarts, stops, and death with the master. */
class FleetLifecycleTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private Path store;

    @BeforeEach
    void frozenStore() {
        store = dir.resolve("fleet.pf");
        try (Store s = Store.create(store, 1 << 20)) {
            s.allocate(64);
            s.freeze();
        }
    }

    @Test
    void aWorkerGetsItsIndexAndArgumentsAndAStopEndsItGracefully() throws Exception {
        try (Supervisor fleet = Supervisor.builder(store, IdleWorker.class).workers(2).workerArgs(List.of("a", "b")).start()) {
            for (WorkerHandle worker : fleet.workers()) {
                Optional<String> hello = worker.nextMessage(START);
                assertThat(hello).contains("index " + worker.index() + " [a, b]");
                assertThat(worker.state()).isEqualTo(WorkerState.RUNNING);
                assertThat(worker.openNanos()).isPositive();
            }
            fleet.stop();
            for (WorkerHandle worker : fleet.workers()) {
                assertThat(worker.state()).isEqualTo(WorkerState.STOPPED);
                assertThat(worker.process().orElseThrow().isAlive()).isFalse();
                assertThat(worker.await(w -> !w.exitStatuses().isEmpty(), Duration.ofSeconds(5))).isTrue();
                assertThat(worker.exitStatuses()).as("closed input: the worker returned").containsExactly(0);
            }
        }
    }

    @Test
    void aCrashedWorkerIsRestarted() throws Exception {
        try (Supervisor fleet = Supervisor.builder(store, IdleWorker.class).workers(1)
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1)).start()) {
            WorkerHandle worker = fleet.workers().getFirst();
            assertThat(worker.nextMessage(START)).contains("index 0 []");
            long first = worker.pid();
            ProcessHandle.of(first).orElseThrow().destroyForcibly();   // SIGKILL: a crash
            assertThat(worker.await(w -> w.restarts() == 1 && w.state() == WorkerState.RUNNING, START))
                    .as("restarted: %s", worker).isTrue();
            assertThat(worker.pid()).isNotEqualTo(first);
            assertThat(worker.exitStatuses()).containsExactly(128 + 9);
            assertThat(worker.nextMessage(START)).as("the restarted worker's hello").contains("index 0 []");
        }
    }

    @Test
    void aWorkerThatKeepsFailingIsRestartedUpToTheLimitThenLeftFailed() throws Exception {
        try (Supervisor fleet = Supervisor.builder(store, FailingWorker.class).workers(1).maxRestarts(2)
                .restartBackoff(Duration.ofMillis(20), Duration.ofMillis(100)).start()) {
            WorkerHandle worker = fleet.workers().getFirst();
            assertThat(worker.await(w -> w.state() == WorkerState.FAILED, START)).as("%s", worker).isTrue();
            assertThat(worker.restarts()).isEqualTo(2);
            assertThat(worker.exitStatuses()).containsExactly(1, 1, 1);
        }
    }

    @Test
    void aWorkerThatIgnoresItsStopIsTerminatedBySignal() throws Exception {
        try (Supervisor fleet = Supervisor.builder(store, StubbornWorker.class).workers(1)
                .stopTimeout(Duration.ofMillis(600)).start()) {
            WorkerHandle worker = fleet.workers().getFirst();
            assertThat(worker.await(w -> w.state() == WorkerState.RUNNING, START)).isTrue();
            long start = System.nanoTime();
            fleet.stop();
            assertThat(worker.process().orElseThrow().isAlive()).isFalse();
            assertThat(worker.await(w -> !w.exitStatuses().isEmpty(), Duration.ofSeconds(5))).isTrue();
            assertThat(worker.exitStatuses()).as("SIGTERM after half the stop timeout").containsExactly(128 + 15);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void workersExitWhenTheirMasterIsKilledWithSigkill() throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx64m", Supervisor.NATIVE_ACCESS, "-cp",
                String.join(File.pathSeparator, Supervisor.classPath(FleetMasterMain.class)),
                FleetMasterMain.class.getName(), store.toString(), "2"));
        Process master = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<ProcessHandle> workers = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(master.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the master's report").startsWith("PIDS ");
            Arrays.stream(line.substring(5).split(" ")).map(Long::parseLong)
                    .forEach(pid -> workers.add(ProcessHandle.of(pid).orElseThrow()));
            assertThat(workers).hasSize(2).allMatch(ProcessHandle::isAlive);
            assertThat(workers).allMatch(w -> w.parent().map(ProcessHandle::pid).orElse(-1L) == master.pid());

            master.destroyForcibly();   // SIGKILL: no shutdown hook, no cleanup
            assertThat(master.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(workers).as("workers of the killed master").noneMatch(ProcessHandle::isAlive);
        } finally {
            master.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
