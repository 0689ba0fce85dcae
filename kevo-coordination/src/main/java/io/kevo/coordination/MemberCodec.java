package io.kevo.coordination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The JSON a {@code members/ID} znode holds, e.g. {@code {"id":"n1","clientAddress":
 * "127.0.0.1:5000","role":"replica","epoch":3,"lastEntryEpoch":3,"durableSequence":1042,"noPromote":false}}.
 * Unknown fields are ignored so that a later version may add some. Thread-safe (stateless after
 * construction).
 */
public final class MemberCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private MemberCodec() {}

  /** The JSON of {@code member}. */
  public static byte[] encode(MemberInfo member) {
    try {
      return MAPPER.writeValueAsBytes(member);
    } catch (JsonProcessingException e) {
      throw new CoordinationException("cannot encode member " + member.id(), e);
    }
  }

  /**
   * The member {@code json} holds.
   *
   * @throws CoordinationException if it is not a member document
   */
  public static MemberInfo decode(byte[] json) {
    try {
      return MAPPER.readValue(json, MemberInfo.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new CoordinationException("unreadable member document", e);
    }
  }
}
