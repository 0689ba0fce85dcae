package io.kevo.server.auth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kevo.wire.WireMetadata;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Checks every call's identity and role before the call starts: the bearer token in {@code
 * authorization} if there is one, else the client certificate's subject. A call without an identity
 * (or with a token the node does not know) ends {@code UNAUTHENTICATED}; one whose identity lacks
 * the method's role ({@link MethodRoles}) ends {@code PERMISSION_DENIED}. Either way nothing runs,
 * and the {@link Denials} count and log it. Thread-safe.
 */
public final class AuthInterceptor implements ServerInterceptor {
  private static final String BEARER = "bearer ";

  private final Authorizer authorizer;
  private final Denials denials;

  public AuthInterceptor(Authorizer authorizer, Denials denials) {
    this.authorizer = authorizer;
    this.denials = denials;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    Role needed = MethodRoles.needed(method);
    if (needed == null) {
      return next.startCall(call, headers);
    }
    String who;
    Set<Role> roles;
    String token = bearer(headers.get(WireMetadata.AUTHORIZATION));
    if (token != null) {
      AuthFile.TokenGrant grant = authorizer.tokenGrant(token);
      if (grant == null) {
        return deny(
            call,
            Status.UNAUTHENTICATED,
            "an unknown bearer token from " + remote(call),
            "the bearer token is not known to this node");
      }
      who = "token " + grant.name();
      roles = grant.roles();
    } else {
      String subject = subject(call);
      if (subject == null) {
        return deny(
            call,
            Status.UNAUTHENTICATED,
            "a client without identity from " + remote(call),
            "this node requires an identity: a client certificate its CA signed, or a bearer"
                + " token (authorization: Bearer TOKEN)");
      }
      who = "certificate " + subject;
      roles = authorizer.certificateRoles(subject);
    }
    if (roles == null || !roles.contains(needed)) {
      return deny(
          call,
          Status.PERMISSION_DENIED,
          who,
          who + " lacks the role '" + needed.label() + "' that " + method + " needs");
    }
    return next.startCall(call, headers);
  }

  private <Q, A> ServerCall.Listener<Q> deny(
      ServerCall<Q, A> call, Status status, String who, String message) {
    denials.denied(who, status.getCode(), message);
    call.close(status.withDescription(message), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static String bearer(String header) {
    if (header == null || header.length() <= BEARER.length()) {
      return null;
    }
    return header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).strip()
        : null;
  }

  private static String subject(ServerCall<?, ?> call) {
    SSLSession s = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (s == null) {
      return null;
    }
    try {
      Certificate[] chain = s.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? x.getSubjectX500Principal().getName()
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static String remote(ServerCall<?, ?> call) {
    Object a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (a instanceof java.net.InetSocketAddress inet) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(a);
  }
}
