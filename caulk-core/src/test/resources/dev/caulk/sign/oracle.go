// An independent check of caulk's keys and signatures (SignGoOracleTest), written for caulk's
// tests against Go's standard library and golang.org/x/crypto (Debian's golang-golang-x-crypto-dev):
// the scrypt, nacl/secretbox, x509 and ecdsa code that cosign and skopeo themselves build on.
//
//	oracle sign KEY PASSFILE PAYLOAD      prints the base64 ASN.1 ECDSA-SHA256 signature of PAYLOAD
//	oracle verify PUB PAYLOAD B64SIG      exits 0 when the signature verifies, 1 when not
//	oracle dsse-verify PUB ENVELOPE       exits 0 when a signature of the DSSE envelope verifies over its PAE
//
// Keys are read with the rules of go-tuf's encrypted package before 2023 (skopeo 1.9, cosign 2.1):
// only scrypt N=32768, r=8, p=1 is accepted.
package main

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/nacl/secretbox"
	"golang.org/x/crypto/scrypt"
)

type encryptedKey struct {
	KDF struct {
		Name   string `json:"name"`
		Params struct {
			N int `json:"N"`
			R int `json:"r"`
			P int `json:"p"`
		} `json:"params"`
		Salt []byte `json:"salt"`
	} `json:"kdf"`
	Cipher struct {
		Name  string `json:"name"`
		Nonce []byte `json:"nonce"`
	} `json:"cipher"`
	Ciphertext []byte `json:"ciphertext"`
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func read(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return b
}

func privateKey(path, passFile string) *ecdsa.PrivateKey {
	block, _ := pem.Decode(read(path))
	if block == nil || (block.Type != "ENCRYPTED SIGSTORE PRIVATE KEY" && block.Type != "ENCRYPTED COSIGN PRIVATE KEY") {
		fail("not an encrypted sigstore key")
	}
	var k encryptedKey
	if err := json.Unmarshal(block.Bytes, &k); err != nil {
		fail("key json: %v", err)
	}
	if k.KDF.Name != "scrypt" || k.Cipher.Name != "nacl/secretbox" {
		fail("unknown kdf or cipher")
	}
	if k.KDF.Params.N != 32768 || k.KDF.Params.R != 8 || k.KDF.Params.P != 1 {
		fail("unexpected kdf parameters")
	}
	pass := strings.TrimRight(string(read(passFile)), "\n")
	boxKey, err := scrypt.Key([]byte(pass), k.KDF.Salt, k.KDF.Params.N, k.KDF.Params.R, k.KDF.Params.P, 32)
	if err != nil {
		fail("scrypt: %v", err)
	}
	var key [32]byte
	var nonce [24]byte
	copy(key[:], boxKey)
	if len(k.Cipher.Nonce) != 24 {
		fail("nonce size")
	}
	copy(nonce[:], k.Cipher.Nonce)
	der, ok := secretbox.Open(nil, k.Ciphertext, &nonce, &key)
	if !ok {
		fail("decryption failed")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		fail("pkcs8: %v", err)
	}
	ec, ok := parsed.(*ecdsa.PrivateKey)
	if !ok {
		fail("not ecdsa")
	}
	return ec
}

func publicKey(path string) *ecdsa.PublicKey {
	block, _ := pem.Decode(read(path))
	if block == nil || block.Type != "PUBLIC KEY" {
		fail("not a PUBLIC KEY pem")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		fail("pkix: %v", err)
	}
	ec, ok := k.(*ecdsa.PublicKey)
	if !ok {
		fail("not ecdsa")
	}
	return ec
}

func verify(pub *ecdsa.PublicKey, data []byte, sig []byte) bool {
	h := sha256.Sum256(data)
	return ecdsa.VerifyASN1(pub, h[:], sig)
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: oracle sign|verify|dsse-verify ...")
	}
	switch os.Args[1] {
	case "sign":
		k := privateKey(os.Args[2], os.Args[3])
		h := sha256.Sum256(read(os.Args[4]))
		sig, err := ecdsa.SignASN1(rand.Reader, k, h[:])
		if err != nil {
			fail("sign: %v", err)
		}
		fmt.Print(base64.StdEncoding.EncodeToString(sig))
	case "verify":
		sig, err := base64.StdEncoding.DecodeString(os.Args[4])
		if err != nil {
			fail("base64: %v", err)
		}
		if !verify(publicKey(os.Args[2]), read(os.Args[3]), sig) {
			fmt.Fprintln(os.Stderr, "signature does not verify")
			os.Exit(1)
		}
	case "dsse-verify":
		var env struct {
			PayloadType string `json:"payloadType"`
			Payload     []byte `json:"payload"`
			Signatures  []struct {
				Sig []byte `json:"sig"`
			} `json:"signatures"`
		}
		if err := json.Unmarshal(read(os.Args[3]), &env); err != nil {
			fail("envelope: %v", err)
		}
		pae := fmt.Sprintf("DSSEv1 %d %s %d %s", len(env.PayloadType), env.PayloadType, len(env.Payload), env.Payload)
		pub := publicKey(os.Args[2])
		for _, s := range env.Signatures {
			if verify(pub, []byte(pae), s.Sig) {
				return
			}
		}
		fmt.Fprintln(os.Stderr, "no signature verifies")
		os.Exit(1)
	default:
		fail("unknown command %s", os.Args[1])
	}
}
