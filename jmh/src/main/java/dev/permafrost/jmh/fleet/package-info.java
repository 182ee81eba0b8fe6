/**
 * The fleet suite ({@link dev.permafrost.jmh.fleet.FleetSuite}): the demo's fleet of 1 to 8
 * worker JVMs over one store, frozen and mortal, by the kernel's account of the store mapping
 * (sum of {@code Pss}, bytes copied on write), against a copy of the same records on every
 * worker's heap. Not JMH: each fleet is the demo ({@code dev.permafrost.demo.DemoMain}) run in a
 * child JVM.
 *
 * <p>Thread rules: one thread, one fleet at a time. Hot paths: none; the workers' lookups are the
 * demo's.
 */
package dev.permafrost.jmh.fleet;
