package dev.permafrost.cache.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of admissions, hits and removals against a simple model: the keys the
 * policy has named as victims or been told to remove are gone, every other admitted key is
 * resident, and their weights add up to at most the capacity.
 */
class EvictionPolicyProperties {

    /** What happened to an admitted entry; each entry has exactly one fate at any time. */
    private enum Fate { RESIDENT, EVICTED, REMOVED }

    private enum Kind { ACCESS, ADMIT, REMOVE }

    /** One step: on {@code key}, admit it if absent (with {@code weight}), hit it or remove it if present. */
    private record Step(Kind kind, int key, long weight) {
    }

    /** Which policy, and for S3-FIFO its tuning. */
    private record PolicyUnderTest(boolean lru, S3FifoPolicy.Settings settings, long capacity) {
        EvictionPolicy<Integer> create() {
            return lru ? new LruPolicy<>(capacity) : new S3FifoPolicy<>(capacity, settings);
        }
    }

    @Provide
    Arbitrary<PolicyUnderTest> policies() {
        Arbitrary<S3FifoPolicy.Settings> settings = Combinators.combine(
                        Arbitraries.doubles().between(0.01, 0.99),
                        Arbitraries.integers().between(1, PolicyEntry.MAXIMUM_FREQUENCY),
                        Arbitraries.doubles().between(0, 2))
                .as(S3FifoPolicy.Settings::new);
        return Combinators.combine(
                        Arbitraries.of(true, false, false),
                        Arbitraries.oneOf(Arbitraries.just(S3FifoPolicy.Settings.AUTHORS), settings),
                        Arbitraries.longs().between(1, 60))
                .as(PolicyUnderTest::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.of(Kind.ACCESS, Kind.ACCESS, Kind.ADMIT, Kind.ADMIT, Kind.REMOVE),
                        Arbitraries.integers().between(0, 80),
                        Arbitraries.frequencyOf(
                                Tuple.of(8, Arbitraries.just(1L)),
                                Tuple.of(2, Arbitraries.longs().between(0, 70))))
                .as(Step::new);
        return step.list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void everyAdmittedEntryIsResidentEvictedOnceOrRemovedAndTheCapacityHolds(
            @ForAll("policies") PolicyUnderTest under, @ForAll("steps") List<Step> steps) {
        EvictionPolicy<Integer> policy = under.create();
        Map<Integer, PolicyEntry<Integer>> resident = new HashMap<>();
        Map<PolicyEntry<Integer>, Fate> fates = new IdentityHashMap<>();
        for (Step step : steps) {
            PolicyEntry<Integer> present = resident.get(step.key());
            switch (step.kind()) {
                case ACCESS -> {
                    if (present != null) {
                        policy.onAccess(present);
                    }
                }
                case REMOVE -> {
                    if (present != null) {
                        assertThat(policy.onRemove(present)).isTrue();
                        resident.remove(step.key());
                        fates.put(present, Fate.REMOVED);
                    }
                }
                case ADMIT -> {
                    if (present == null) {
                        Map<PolicyEntry<Integer>, Boolean> named = new IdentityHashMap<>();
                        PolicyEntry<Integer> admitted = policy.onAdmit(step.key(), step.weight(), victim -> {
                            assertThat(named.put(victim, true)).as("named twice in one admission").isNull();
                            Fate before = fates.put(victim, Fate.EVICTED);
                            assertThat(before).as("a victim was resident (or is the new entry): %s", victim)
                                    .isIn(Fate.RESIDENT, null);
                            resident.remove(victim.key(), victim);
                        });
                        if (named.containsKey(admitted)) {
                            assertThat(step.weight()).isGreaterThan(under.capacity());
                            assertThat(named).hasSize(1);
                        } else {
                            fates.put(admitted, Fate.RESIDENT);
                            resident.put(step.key(), admitted);
                        }
                    }
                }
            }
            long residentWeight = resident.values().stream().mapToLong(PolicyEntry::weight).sum();
            assertThat(policy.weightedSize()).isEqualTo(residentWeight).isLessThanOrEqualTo(under.capacity());
            assertThat(policy.residentCount()).isEqualTo(resident.size());
            if (policy instanceof S3FifoPolicy<Integer> s3fifo) {
                assertThat(s3fifo.ghostWeight())
                        .isLessThanOrEqualTo((long) (under.capacity() * under.settings().ghostFraction()));
            }
        }
        fates.forEach((entry, fate) -> {
            assertThat(policy.isResident(entry)).as("%s is %s", entry, fate).isEqualTo(fate == Fate.RESIDENT);
            assertThat(entry.frequency()).isBetween(0, PolicyEntry.MAXIMUM_FREQUENCY);
        });
    }
}
