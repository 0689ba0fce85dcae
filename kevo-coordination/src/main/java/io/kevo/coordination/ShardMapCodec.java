package io.kevo.coordination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JSON the {@code shard-map} znode holds, keys in lowercase hex, e.g. {@code
 * {"version":1,"shards":[{"id":"s1","start":"","end":"8000"},{"id":"s2","start":"8000","end":null}]}}.
 * Unknown fields are ignored so that a later version may add some. Thread-safe (stateless).
 */
public final class ShardMapCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private ShardMapCodec() {}

  /** The document's shape: plain fields, so that Jackson needs no annotations on the model. */
  record Doc(long version, List<DocShard> shards) {}

  record DocShard(String id, String start, String end) {}

  /** The JSON of {@code map}. */
  public static byte[] encode(ShardMap map) {
    List<DocShard> shards = new ArrayList<>();
    for (ShardRange r : map.shards()) {
      byte[] end = r.end();
      shards.add(
          new DocShard(
              r.id(), ShardRange.hex(r.start()), end == null ? null : ShardRange.hex(end)));
    }
    try {
      return MAPPER.writeValueAsBytes(new Doc(map.version(), shards));
    } catch (JsonProcessingException e) {
      throw new CoordinationException("cannot encode shard map version " + map.version(), e);
    }
  }

  /**
   * The map {@code json} holds.
   *
   * @throws CoordinationException if it is not a valid shard map document
   */
  public static ShardMap decode(byte[] json) {
    try {
      Doc doc = MAPPER.readValue(json, Doc.class);
      if (doc.shards() == null) {
        throw new IllegalArgumentException("no shards");
      }
      List<ShardRange> shards = new ArrayList<>();
      for (DocShard s : doc.shards()) {
        if (s.start() == null) {
          throw new IllegalArgumentException("shard " + s.id() + " has no start");
        }
        shards.add(
            new ShardRange(
                s.id(),
                HexFormat.of().parseHex(s.start()),
                s.end() == null ? null : HexFormat.of().parseHex(s.end())));
      }
      return new ShardMap(doc.version(), shards);
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      throw new CoordinationException("unreadable shard map: " + e.getMessage(), e);
    }
  }
}
