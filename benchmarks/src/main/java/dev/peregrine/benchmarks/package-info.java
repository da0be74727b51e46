/** JMH micro-benchmarks of the hot data structures and codecs (run the shaded jar: java -jar peregrine-benchmarks.jar). */
package dev.peregrine.benchmarks;
