package io.kevo.bench.failover;

import io.kevo.client.ClientOptions;
import io.kevo.client.KevoClient;
import io.kevo.client.KevoScan;
import io.kevo.client.KeyValue;
import io.kevo.client.ScanSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Reads back every acknowledged write from one node: scans the writers' keys there and counts the
 * acknowledged ones missing or holding another value than was put. Stateless.
 */
final class ReadBack {
  /** How many lost keys the result names. */
  static final int SAMPLE = 10;

  private ReadBack() {}

  /**
   * What the read-back found.
   *
   * @param scanned the writers' keys the node holds (acknowledged or not)
   * @param acknowledged the acknowledged writes looked for
   * @param lost acknowledged writes missing or wrong
   * @param lostSample up to {@link #SAMPLE} of their keys
   */
  record Result(long scanned, long acknowledged, long lost, List<String> lostSample) {}

  /** Scans {@code address} (one node, read as primary) for the keys of {@code logs}. */
  static Result from(String address, List<AckLog> logs, int valueSize) {
    BitSet[] found = new BitSet[logs.size()];
    Arrays.setAll(found, i -> new BitSet());
    long scanned = 0;
    try (KevoClient client = KevoClient.connect(ClientOptions.builder().endpoint(address).build());
        KevoScan scan =
            client.scan(ScanSpec.prefix(Keys.PREFIX.getBytes(StandardCharsets.US_ASCII)))) {
      while (scan.hasNext()) {
        KeyValue kv = scan.next();
        scanned++;
        Keys.Parsed k = Keys.parse(kv.key());
        if (k != null
            && k.writer() < found.length
            && Arrays.equals(kv.value(), Keys.value(kv.key(), valueSize))) {
          found[k.writer()].set(Math.toIntExact(k.n()));
        }
      }
    }
    return compare(logs, found, scanned);
  }

  /** Which acknowledged put numbers of each writer's log are not in {@code found[writer]}. */
  static Result compare(List<AckLog> logs, BitSet[] found, long scanned) {
    long acknowledged = 0;
    long lost = 0;
    List<String> sample = new ArrayList<>();
    for (AckLog log : logs) {
      BitSet missing = log.ackedNumbers();
      acknowledged += missing.cardinality();
      missing.andNot(found[log.writer()]);
      lost += missing.cardinality();
      for (int n = missing.nextSetBit(0);
          n >= 0 && sample.size() < SAMPLE;
          n = missing.nextSetBit(n + 1)) {
        sample.add(new String(Keys.key(log.writer(), n), StandardCharsets.US_ASCII));
      }
    }
    return new Result(scanned, acknowledged, lost, sample);
  }
}
