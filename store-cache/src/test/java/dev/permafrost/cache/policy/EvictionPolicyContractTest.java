package dev.permafrost.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What every {@link EvictionPolicy} promises, subclassed per implementation. */
abstract class EvictionPolicyContractTest {

    /** @return an empty policy of the implementation under test */
    abstract EvictionPolicy<Integer> newPolicy(long capacity);

    @Test
    void capacityIsNeverExceededAndEachVictimIsNamedOnce() {
        EvictionPolicy<Integer> policy = newPolicy(100);
        Map<Integer, PolicyEntry<Integer>> resident = new HashMap<>();
        Set<Integer> victims = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            int key = i % 37 == 0 ? i % 50 : i; // some keys come back, most are new
            PolicyEntry<Integer> hit = resident.get(key);
            if (hit != null) {
                policy.onAccess(hit);
                continue;
            }
            PolicyEntry<Integer> entry = policy.onAdmit(key, 1, victim -> {
                assertThat(resident.remove(victim.key())).isSameAs(victim);
                assertThat(policy.isResident(victim)).isFalse();
                victims.add(victim.key());
            });
            resident.put(key, entry);
            assertThat(policy.weightedSize()).isLessThanOrEqualTo(100);
            assertThat(policy.residentCount()).isEqualTo(resident.size());
        }
        assertThat(policy.residentCount()).isEqualTo(100);
        assertThat(victims).isNotEmpty();
    }

    @Test
    void nothingIsEvictedWhileThereIsRoom() {
        EvictionPolicy<Integer> policy = newPolicy(10);
        List<PolicyEntry<Integer>> victims = new ArrayList<>();
        for (int key = 0; key < 10; key++) {
            policy.onAdmit(key, 1, victims::add);
        }
        assertThat(victims).isEmpty();
        assertThat(policy.weightedSize()).isEqualTo(10);
        policy.onAdmit(10, 1, victims::add);
        assertThat(victims).hasSize(1);
    }

    @Test
    void weightsAreBoundedByCapacityNotByCount() {
        EvictionPolicy<Integer> policy = newPolicy(100);
        Map<Integer, PolicyEntry<Integer>> resident = new HashMap<>();
        for (int key = 0; key < 1_000; key++) {
            long weight = 1 + key % 30;
            resident.put(key, policy.onAdmit(key, weight, victim -> resident.remove(victim.key())));
            long total = resident.values().stream().mapToLong(PolicyEntry::weight).sum();
            assertThat(policy.weightedSize()).isEqualTo(total).isLessThanOrEqualTo(100);
        }
        assertThat(resident.size()).isLessThan(100);
    }

    @Test
    void anEntryHeavierThanTheCapacityIsItsOwnVictimAndEvictsNothingElse() {
        EvictionPolicy<Integer> policy = newPolicy(10);
        policy.onAdmit(1, 5, victim -> { throw new AssertionError(victim); });
        List<PolicyEntry<Integer>> victims = new ArrayList<>();
        PolicyEntry<Integer> heavy = policy.onAdmit(2, 11, victims::add);
        assertThat(victims).containsExactly(heavy);
        assertThat(policy.isResident(heavy)).isFalse();
        assertThat(policy.weightedSize()).isEqualTo(5);
    }

    @Test
    void aWeightOfZeroIsAdmittedAndANegativeOneRefused() {
        EvictionPolicy<Integer> policy = newPolicy(1);
        PolicyEntry<Integer> free = policy.onAdmit(1, 0, victim -> { throw new AssertionError(victim); });
        assertThat(policy.isResident(free)).isTrue();
        assertThat(policy.weightedSize()).isZero();
        assertThatThrownBy(() -> policy.onAdmit(2, -1, victim -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> newPolicy(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRemovedEntryIsNeverAVictimAndFreesItsWeight() {
        EvictionPolicy<Integer> policy = newPolicy(3);
        PolicyEntry<Integer> first = policy.onAdmit(1, 1, victim -> { });
        policy.onAdmit(2, 1, victim -> { });
        policy.onAdmit(3, 1, victim -> { });
        assertThat(policy.onRemove(first)).isTrue();
        assertThat(policy.onRemove(first)).isFalse();
        assertThat(policy.isResident(first)).isFalse();
        assertThat(policy.weightedSize()).isEqualTo(2);
        List<PolicyEntry<Integer>> victims = new ArrayList<>();
        policy.onAdmit(4, 1, victims::add);
        assertThat(victims).isEmpty();
        policy.onAdmit(5, 1, victims::add);
        assertThat(victims).hasSize(1).doesNotContain(first);
    }

    @Test
    void removalOfAnEvictedEntryReportsFalse() {
        EvictionPolicy<Integer> policy = newPolicy(1);
        PolicyEntry<Integer> first = policy.onAdmit(1, 1, victim -> { });
        AtomicReference<PolicyEntry<Integer>> victim = new AtomicReference<>();
        policy.onAdmit(2, 1, victim::set);
        assertThat(victim.get()).isSameAs(first);
        assertThat(policy.onRemove(first)).isFalse();
        policy.onAccess(first); // a reader still holding it: harmless
        assertThat(policy.isResident(first)).isFalse();
        assertThat(policy.residentCount()).isEqualTo(1);
    }

    @Test
    void aReplacedKeyIsRemovedThenAdmittedAgain() {
        EvictionPolicy<Integer> policy = newPolicy(10);
        PolicyEntry<Integer> old = policy.onAdmit(1, 4, victim -> { });
        policy.onRemove(old);
        PolicyEntry<Integer> replacement = policy.onAdmit(1, 6, victim -> { throw new AssertionError(victim); });
        assertThat(policy.isResident(replacement)).isTrue();
        assertThat(policy.weightedSize()).isEqualTo(6);
        assertThat(policy.residentCount()).isEqualTo(1);
    }

    @Test
    void hitsFromManyThreadsDuringAdmissionsKeepTheBoundAndTheCount() throws InterruptedException {
        EvictionPolicy<Integer> policy = newPolicy(1_000);
        Map<Integer, PolicyEntry<Integer>> resident = new ConcurrentHashMap<>();
        int threads = 4;
        int keysPerThread = 20_000;
        Set<PolicyEntry<Integer>> evicted = ConcurrentHashMap.newKeySet(); // identity: no equals
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            int base = t * keysPerThread;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < keysPerThread; i++) {
                        int key = base + (i % 3 == 0 ? i % 400 : i);
                        PolicyEntry<Integer> hit = resident.get(key);
                        if (hit != null) {
                            policy.onAccess(hit);
                        } else {
                            PolicyEntry<Integer> entry = policy.onAdmit(key, 1, victim -> {
                                resident.remove(victim.key(), victim);
                                if (!evicted.add(victim)) {
                                    failure.compareAndSet(null, new AssertionError("named twice: " + victim));
                                }
                            });
                            resident.put(key, entry);
                            if (i % 50 == 0) {
                                policy.onRemove(entry);
                                resident.remove(key, entry);
                            }
                        }
                        if (policy.weightedSize() > 1_000) {
                            failure.compareAndSet(null, new AssertionError("over capacity: " + policy.weightedSize()));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(policy.weightedSize()).isLessThanOrEqualTo(1_000);
        long residentInPolicy = resident.values().stream().filter(policy::isResident).count();
        assertThat(policy.residentCount()).isEqualTo(residentInPolicy);
    }
}
