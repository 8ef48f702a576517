# dec2-identity: wallet sign-in (docs/identity.md). `make identity-serve` runs it against
# $NOMAD_ADDR with the management token in $NOMAD_TOKEN on 127.0.0.1:4657; `make identity-image`
# builds the FROM-scratch image jobspecs/identity.nomad.hcl runs.
IDENTITY_LISTEN ?= 127.0.0.1:4657

.PHONY: identity-serve identity-image

identity-serve:
	@mkdir -p bin
	CGO_ENABLED=0 go build -trimpath -o bin/dec2-identity ./identity/cmd/dec2-identity
	bin/dec2-identity -listen $(IDENTITY_LISTEN) $(IDENTITY_ARGS)

identity-image:
	@mkdir -p .cache/identity-image
	CGO_ENABLED=0 go build -trimpath -o .cache/identity-image/dec2-identity ./identity/cmd/dec2-identity
	printf 'FROM scratch\nCOPY dec2-identity /dec2-identity\nENTRYPOINT ["/dec2-identity"]\n' > .cache/identity-image/Dockerfile
	docker build -q -t dec2-identity:latest .cache/identity-image
