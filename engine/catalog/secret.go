package catalog

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"strings"

	"github.com/medleysql/medley/sql/sqlerr"
)

// Mask is what a secret option's value shows to users who may not see it.
const Mask = "********"

// sealPrefix marks a sealed (encrypted) option value at rest.
const sealPrefix = "enc1:"

// KeyFilePath returns the key file used for a catalog at path when no key is
// configured: the catalog path with ".key" appended.
func KeyFilePath(path string) string { return path + ".key" }

// loadKey returns the AES-256 key: explicit, else $MEDLEY_SECRET_KEY, else
// the key file beside the catalog (created with mode 0600 if missing). An
// in-memory catalog without a key gets a random one.
func loadKey(path string, explicit []byte) ([]byte, error) {
	if len(explicit) > 0 {
		if len(explicit) != 32 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "secret key must be 32 bytes, got %d", len(explicit))
		}
		return explicit, nil
	}
	if env := os.Getenv("MEDLEY_SECRET_KEY"); env != "" {
		k, err := decodeKey(env)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "MEDLEY_SECRET_KEY must be 64 hex digits or the base64 of 32 bytes")
		}
		return k, nil
	}
	if path == ":memory:" {
		k := make([]byte, 32)
		_, err := rand.Read(k)
		return k, err
	}
	return keyFile(KeyFilePath(path))
}

func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == 32 {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(s); err == nil && len(k) == 32 {
		return k, nil
	}
	return nil, errors.New("bad key")
}

// keyFile reads the key file, creating it atomically (mode 0600) if absent,
// so two processes opening a new catalog agree on one key.
func keyFile(p string) ([]byte, error) {
	if b, err := os.ReadFile(p); err == nil {
		k, err := decodeKey(string(b))
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "secret key file %q is malformed", p)
		}
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot read secret key file")
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "cannot make a secret key")
	}
	tmp, err := os.CreateTemp(dirOf(p), ".medley-key-*")
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot create secret key file")
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.WriteString(hex.EncodeToString(k) + "\n")
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Link(tmp.Name(), p)
		}
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot create secret key file")
		}
	} else {
		tmp.Close()
		return nil, sqlerr.Wrap(err, sqlerr.IOError, "cannot create secret key file")
	}
	return keyFile(p) // another process may have won the race: read what is there
}

func dirOf(p string) string {
	if i := strings.LastIndexByte(p, os.PathSeparator); i >= 0 {
		return p[:i+1]
	}
	return "."
}

// seal encrypts a secret value; name is authenticated with it so a sealed
// value cannot be moved to another option.
func (c *Catalog) seal(name, value string) (string, error) {
	gcm, err := c.gcm()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", sqlerr.Wrap(err, sqlerr.InternalError, "cannot seal secret")
	}
	ct := gcm.Seal(nonce, nonce, []byte(value), []byte(name))
	return sealPrefix + base64.StdEncoding.EncodeToString(ct), nil
}

// unseal decrypts a value made by seal. The error never holds the value.
func (c *Catalog) unseal(name, sealed string) (string, error) {
	if !strings.HasPrefix(sealed, sealPrefix) {
		return sealed, nil
	}
	gcm, err := c.gcm()
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed[len(sealPrefix):])
	if err != nil || len(raw) < gcm.NonceSize() {
		return "", sqlerr.New(sqlerr.FDWInvalidAttributeValue, "secret option %q is corrupt in the catalog", name)
	}
	pt, err := gcm.Open(nil, raw[:gcm.NonceSize()], raw[gcm.NonceSize():], []byte(name))
	if err != nil {
		return "", sqlerr.New(sqlerr.FDWInvalidAttributeValue,
			"cannot decrypt secret option %q: the catalog's secret key is not the one it was stored with", name)
	}
	return string(pt), nil
}

func (c *Catalog) gcm() (cipher.AEAD, error) {
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return nil, sqlerr.Wrap(err, sqlerr.InternalError, "secret key")
	}
	return cipher.NewGCM(block)
}

// resolveRef resolves a secret reference (NAME_env or NAME_file) to its
// value. Errors name the option and the variable or file, not the secret.
func resolveRef(server, name, ref, value string) (string, error) {
	switch ref {
	case "env":
		v, ok := os.LookupEnv(value)
		if !ok {
			return "", sqlerr.New(sqlerr.FDWInvalidAttributeValue,
				"option %q of server %q: environment variable %q is not set", name, server, value)
		}
		return v, nil
	case "file":
		b, err := os.ReadFile(value)
		if err != nil {
			return "", sqlerr.New(sqlerr.FDWInvalidAttributeValue,
				"option %q of server %q: cannot read file %q", name, server, value)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return value, nil
}
