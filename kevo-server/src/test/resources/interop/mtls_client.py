"""A plain gRPC client in Python (grpcio), no Kevo SDK and no generated code: it speaks mutual
TLS to a Kevo node and calls kevo.KevoService/Put and Get with hand-encoded messages.

Usage: mtls_client.py HOST:PORT CA_PEM CERT_PEM KEY_PEM KEY VALUE
Prints the value Get returned.
"""
import sys

import grpc


def field(number, data):
    """A length-delimited protobuf field (wire type 2); short lengths only (< 128 bytes)."""
    assert len(data) < 128
    return bytes([number << 3 | 2, len(data)]) + data


def main():
    target, ca, cert, key, k, v = sys.argv[1:7]
    read = lambda p: open(p, "rb").read()
    creds = grpc.ssl_channel_credentials(
        root_certificates=read(ca), private_key=read(key), certificate_chain=read(cert))
    with grpc.secure_channel(target, creds) as channel:
        raw = dict(request_serializer=lambda b: b, response_deserializer=lambda b: b)
        put = channel.unary_unary("/kevo.KevoService/Put", **raw)
        get = channel.unary_unary("/kevo.KevoService/Get", **raw)
        put(field(1, k.encode()) + field(2, v.encode()), timeout=20)
        answer = get(field(1, k.encode()), timeout=20)
        # GetResponse: value = 1 (bytes), found = 2 (bool)
        assert answer[0] == 0x0A, answer
        print(answer[2 : 2 + answer[1]].decode())


if __name__ == "__main__":
    main()
