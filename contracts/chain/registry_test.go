package chain

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/contracts/devchain"
)

// registrySetup: three attestors (users 5-7), 2-of-3, a separate treasury (user 8), the
// provider is user 0 and the affected consumer user 1.
type registrySetup struct {
	*env
	provider, consumer *Client
	attestors          []*Client
	treasury           common.Address
}

func newRegistrySetup(t *testing.T) *registrySetup {
	// env's users are dev accounts 1..: attestors are users 5-7, the treasury user 8.
	dev := must(devchain.DevAccounts(devchain.DevMnemonic, envUsers+1))
	e := newEnv(t, DeployConfig{
		Attestors: []common.Address{dev[6].Address, dev[7].Address, dev[8].Address}, Threshold: 2,
		Treasury: dev[9].Address, ConsumerShareBps: 6000, MinStake: Tokens(100), UnbondDelay: time.Hour,
	})
	return &registrySetup{env: e, provider: e.users[0], consumer: e.users[1], attestors: e.users[5:8], treasury: e.users[8].Address()}
}

func (s *registrySetup) register(stake *big.Int) {
	must(s.token(s.provider).Approve(s.ctx, s.addrs.Registry, stake))
	must(s.registry(s.provider).Register(s.ctx, "node-1", stake))
}

func (s *registrySetup) report(amount *big.Int) SlashReport {
	p := must(s.registry(s.owner).Provider(s.ctx, s.provider.Address()))
	return SlashReport{
		Provider: s.provider.Address(), Consumer: s.consumer.Address(),
		Reason: crypto.Keccak256Hash([]byte("job-lost")), EvidenceHash: crypto.Keccak256Hash([]byte("evidence")),
		Amount: amount, Nonce: new(big.Int).SetUint64(p.SlashNonce), Deadline: new(big.Int).SetUint64(s.now() + 600),
		Epoch: must(s.registry(s.owner).ConfigEpoch(s.ctx)),
	}
}

func (s *registrySetup) sign(r SlashReport, signers ...*Client) [][]byte {
	digest := must(SlashDigest(s.owner.ChainID(), s.addrs.Registry, r))
	sigs := make([][]byte, len(signers))
	for i, c := range signers {
		sigs[i] = must(SignSlashReport(c.Key(), s.owner.ChainID(), s.addrs.Registry, r))
	}
	return must(SortSignatures(digest, sigs))
}

func TestRegistryRegisterStakeUnbond(t *testing.T) {
	s := newRegistrySetup(t)
	reg := s.registry(s.provider)
	mustRevert(t, errOf(reg.Register(s.ctx, "node-1", Tokens(100))), "ERC20InsufficientAllowance")
	must(s.token(s.provider).Approve(s.ctx, s.addrs.Registry, Tokens(1000)))
	mustRevert(t, errOf(reg.Register(s.ctx, "node-1", Tokens(99))), "StakeBelowMinimum")
	// The wrapper always hashes a node ID; the contract still refuses the zero hash itself.
	mustRevert(t, errOf(reg.c.send(s.ctx, reg.bc, reg.Addr, reg.b.PackRegister([32]byte{}, Tokens(100)), nil)), "ZeroNodeId")
	r := must(reg.Register(s.ctx, "node-1", Tokens(100)))
	ev := oneEvent(t, r, reg.Binding().UnpackRegisteredEvent)
	if ev.Provider != s.provider.Address() || ev.NodeIdHash != NodeIDHash("node-1") {
		t.Fatalf("Registered event %+v", ev)
	}
	mustRevert(t, errOf(reg.Register(s.ctx, "node-2", Tokens(100))), "AlreadyRegistered")
	other := s.registry(s.users[2])
	must(s.token(s.users[2]).Approve(s.ctx, s.addrs.Registry, Tokens(100)))
	mustRevert(t, errOf(other.Register(s.ctx, "node-1", Tokens(100))), "NodeAlreadyRegistered")
	if got := must(reg.ProviderOfNode(s.ctx, "node-1")); got != s.provider.Address() {
		t.Fatalf("providerOfNode = %s", got)
	}
	mustRevert(t, errOf(other.Stake(s.ctx, Tokens(1))), "NotRegistered")
	if !must(reg.IsActive(s.ctx, s.provider.Address())) {
		t.Fatal("registered provider inactive")
	}

	mustRevert(t, errOf(reg.Stake(s.ctx, big64(0))), "ZeroAmount")
	mustRevert(t, errOf(reg.RequestUnbond(s.ctx, big64(0))), "ZeroAmount")
	r = must(reg.Stake(s.ctx, Tokens(50)))
	if st := oneEvent(t, r, reg.Binding().UnpackStakedEvent); st.Stake.Cmp(Tokens(150)) != 0 {
		t.Fatalf("Staked event %+v", st)
	}
	mustRevert(t, errOf(reg.RequestUnbond(s.ctx, Tokens(151))), "InsufficientStake")
	mustRevert(t, errOf(reg.WithdrawUnbonded(s.ctx)), "NothingUnbonding")
	r = must(reg.RequestUnbond(s.ctx, Tokens(100)))
	ub := oneEvent(t, r, reg.Binding().UnpackUnbondRequestedEvent)
	if ub.UnbondableAt != s.now()+3600 {
		t.Fatalf("UnbondRequested %+v at %d", ub, s.now())
	}
	if must(reg.IsActive(s.ctx, s.provider.Address())) {
		t.Fatal("provider below minimum stake still active")
	}
	mustRevert(t, errOf(reg.WithdrawUnbonded(s.ctx)), "UnbondingNotReady")
	s.warp(time.Hour)
	before := s.balance(s.provider.Address())
	r = must(reg.WithdrawUnbonded(s.ctx))
	oneEvent(t, r, reg.Binding().UnpackUnbondedEvent)
	eq(t, "unbonded returned", s.balance(s.provider.Address()), new(big.Int).Add(before, Tokens(100)))
	p := must(reg.Provider(s.ctx, s.provider.Address()))
	eq(t, "stake", p.Stake, Tokens(50))
	eq(t, "unbonding", p.Unbonding, big64(0))
}

func TestRegistrySlash(t *testing.T) {
	s := newRegistrySetup(t)
	s.register(Tokens(300))
	must(s.registry(s.provider).RequestUnbond(s.ctx, Tokens(100)))
	reg := s.registry(s.users[3]) // anyone may submit a signed report
	a := s.attestors

	r := s.report(Tokens(250))
	digest := must(SlashDigest(s.owner.ChainID(), s.addrs.Registry, r))
	if onChain := must(reg.HashSlashReport(s.ctx, r)); common.Hash(onChain) != common.BytesToHash(digest) {
		t.Fatalf("EIP-712 digest differs: chain %x, Go %x", onChain, digest)
	}
	mustRevert(t, errOf(reg.Slash(s.ctx, r, s.sign(r, a[0]))), "NotEnoughSignatures")
	mustRevert(t, errOf(reg.Slash(s.ctx, r, s.sign(r, a[0], s.users[4]))), "SignerNotAttestor")
	sig0 := s.sign(r, a[0])[0]
	mustRevert(t, errOf(reg.Slash(s.ctx, r, [][]byte{sig0, sig0})), "SignersNotAscending")
	tampered := r
	tampered.Amount = Tokens(300)
	mustRevert(t, errOf(reg.Slash(s.ctx, tampered, s.sign(r, a[0], a[1]))), "SignerNotAttestor")
	expired := r
	expired.Deadline = new(big.Int).SetUint64(s.now() - 1)
	mustRevert(t, errOf(reg.Slash(s.ctx, expired, s.sign(expired, a[0], a[1]))), "ReportExpired")
	badNonce := r
	badNonce.Nonce = big64(1)
	mustRevert(t, errOf(reg.Slash(s.ctx, badNonce, s.sign(badNonce, a[0], a[1]))), "InvalidNonce")

	sigs := s.sign(r, a[0], a[2])
	consumerBefore, treasuryBefore := s.balance(s.consumer.Address()), s.balance(s.treasury)
	rc := must(reg.Slash(s.ctx, r, sigs))
	ev := oneEvent(t, rc, reg.Binding().UnpackSlashedEvent)
	if ev.Amount.Cmp(Tokens(250)) != 0 || ev.ToConsumer.Cmp(Tokens(150)) != 0 || ev.Reason != r.Reason || ev.EvidenceHash != r.EvidenceHash {
		t.Fatalf("Slashed event %+v", ev)
	}
	eq(t, "consumer share", s.balance(s.consumer.Address()), new(big.Int).Add(consumerBefore, Tokens(150)))
	eq(t, "treasury share", s.balance(s.treasury), new(big.Int).Add(treasuryBefore, Tokens(100)))
	p := must(reg.Provider(s.ctx, s.provider.Address()))
	// Stake first (200), then unbonding (50 of 100).
	eq(t, "stake after slash", p.Stake, big64(0))
	eq(t, "unbonding after slash", p.Unbonding, Tokens(50))
	if p.Slashes != 1 || p.SlashNonce != 1 || p.LastSlashedAt != s.now() {
		t.Fatalf("reputation after slash %+v (block time %d)", p, s.now())
	}
	mustRevert(t, errOf(reg.Slash(s.ctx, r, sigs)), "InvalidNonce") // replay

	// Amounts beyond what is left are capped: stake never goes below zero.
	r2 := s.report(Tokens(1000))
	r2.Consumer = common.Address{}
	treasuryBefore = s.balance(s.treasury)
	rc = must(reg.Slash(s.ctx, r2, s.sign(r2, a[1], a[2])))
	if ev := oneEvent(t, rc, reg.Binding().UnpackSlashedEvent); ev.Amount.Cmp(Tokens(50)) != 0 || ev.ToConsumer.Sign() != 0 {
		t.Fatalf("capped Slashed event %+v", ev)
	}
	eq(t, "treasury takes all without a consumer", s.balance(s.treasury), new(big.Int).Add(treasuryBefore, Tokens(50)))
	eq(t, "registry holds nothing", s.balance(s.addrs.Registry), big64(0))
}

// A slash pays the repair of what the provider lost from its stake: the repair fund's share
// goes to the repair worker's wallet, the consumer's to the consumer, the rest to the treasury.
func TestRegistrySlashPaysTheRepair(t *testing.T) {
	s := newRegistrySetup(t)
	s.register(Tokens(300))
	gov, stranger := s.registry(s.owner), s.registry(s.users[3])
	fund := s.users[4].Address()
	mustRevert(t, errOf(stranger.SetRepairFund(s.ctx, fund, 3000)), "OwnableUnauthorizedAccount")
	mustRevert(t, errOf(gov.SetRepairFund(s.ctx, common.Address{}, 3000)), "ZeroAddress")
	// The consumer already takes 60 %: the repair may take at most the other 40 %.
	mustRevert(t, errOf(gov.SetRepairFund(s.ctx, fund, 4001)), "InvalidShare")
	must(gov.SetRepairFund(s.ctx, fund, 3000))
	mustRevert(t, errOf(gov.SetConsumerShareBps(s.ctx, 7001)), "InvalidShare")
	if got := must(gov.RepairFund(s.ctx)); got != fund {
		t.Fatalf("repairFund = %s, want %s", got, fund)
	}

	r := s.report(Tokens(200))
	consumerBefore, fundBefore, treasuryBefore := s.balance(s.consumer.Address()), s.balance(fund), s.balance(s.treasury)
	rc := must(s.registry(s.users[2]).Slash(s.ctx, r, s.sign(r, s.attestors[0], s.attestors[1])))
	ev := oneEvent(t, rc, gov.Binding().UnpackRepairFundedEvent)
	if ev.Provider != s.provider.Address() || ev.RepairFund != fund || ev.Amount.Cmp(Tokens(60)) != 0 {
		t.Fatalf("RepairFunded event %+v, want 60 tokens to %s", ev, fund)
	}
	eq(t, "consumer share", s.balance(s.consumer.Address()), new(big.Int).Add(consumerBefore, Tokens(120)))
	eq(t, "repair share", s.balance(fund), new(big.Int).Add(fundBefore, Tokens(60)))
	eq(t, "treasury share", s.balance(s.treasury), new(big.Int).Add(treasuryBefore, Tokens(20)))
	eq(t, "registry holds nothing of the slash", s.balance(s.addrs.Registry), Tokens(100))

	// Turned off, the treasury takes the repair's share again.
	must(gov.SetRepairFund(s.ctx, common.Address{}, 0))
	r = s.report(Tokens(100))
	r.Consumer = common.Address{}
	treasuryBefore = s.balance(s.treasury)
	must(s.registry(s.users[2]).Slash(s.ctx, r, s.sign(r, s.attestors[0], s.attestors[1])))
	eq(t, "treasury takes all", s.balance(s.treasury), new(big.Int).Add(treasuryBefore, Tokens(100)))
}

func TestRegistryGovernanceAndUptime(t *testing.T) {
	s := newRegistrySetup(t)
	s.register(Tokens(100))
	gov, stranger := s.registry(s.owner), s.registry(s.users[3])
	newcomer := s.users[4].Address()

	for name, err := range map[string]error{
		"addAttestor":    errOf(stranger.AddAttestor(s.ctx, newcomer)),
		"removeAttestor": errOf(stranger.RemoveAttestor(s.ctx, s.attestors[0].Address())),
		"setThreshold":   errOf(stranger.SetThreshold(s.ctx, 1)),
		"setTreasury":    errOf(stranger.SetTreasury(s.ctx, newcomer)),
		"setShare":       errOf(stranger.SetConsumerShareBps(s.ctx, 1)),
	} {
		if !IsRevert(err, "OwnableUnauthorizedAccount") {
			t.Errorf("%s by a stranger: %v", name, err)
		}
	}
	mustRevert(t, errOf(gov.AddAttestor(s.ctx, s.attestors[0].Address())), "AttestorExists")
	mustRevert(t, errOf(gov.SetThreshold(s.ctx, 4)), "InvalidThreshold")
	mustRevert(t, errOf(gov.SetThreshold(s.ctx, 0)), "InvalidThreshold")
	mustRevert(t, errOf(gov.SetConsumerShareBps(s.ctx, 10_001)), "InvalidShare")
	mustRevert(t, errOf(gov.SetTreasury(s.ctx, common.Address{})), "ZeroAddress")
	must(gov.SetThreshold(s.ctx, 3))
	mustRevert(t, errOf(gov.RemoveAttestor(s.ctx, s.attestors[0].Address())), "InvalidThreshold")
	mustRevert(t, errOf(gov.RemoveAttestor(s.ctx, newcomer)), "UnknownAttestor")
	r := must(gov.AddAttestor(s.ctx, newcomer))
	if ev := oneEvent(t, r, gov.Binding().UnpackAttestorSetEvent); ev.Attestor != newcomer || !ev.Enabled {
		t.Fatalf("AttestorSet %+v", ev)
	}
	must(gov.RemoveAttestor(s.ctx, s.attestors[0].Address()))
	must(gov.SetTreasury(s.ctx, newcomer))
	if got := must(gov.Treasury(s.ctx)); got != newcomer {
		t.Fatalf("treasury %s", got)
	}

	// A removed attestor no longer counts towards a slash.
	rep := s.report(Tokens(10))
	mustRevert(t, errOf(stranger.Slash(s.ctx, rep, s.sign(rep, s.attestors[0], s.attestors[1], s.attestors[2]))), "SignerNotAttestor")

	mustRevert(t, errOf(stranger.AttestUptime(s.ctx, s.provider.Address())), "NotAttestor")
	att := s.registry(s.attestors[1])
	mustRevert(t, errOf(att.AttestUptime(s.ctx, s.users[3].Address())), "NotRegistered")
	must(att.AttestUptime(s.ctx, s.provider.Address()))
	r = must(s.registry(s.attestors[2]).AttestUptime(s.ctx, s.provider.Address()))
	if ev := oneEvent(t, r, att.Binding().UnpackUptimeAttestedEvent); ev.Total != 2 {
		t.Fatalf("UptimeAttested %+v", ev)
	}
}

// TestRegistryEpochAndRotation: reports carry the config epoch; every change of the attestor set
// or the threshold moves it on, so signatures gathered before a rotation die with it.
func TestRegistryEpochAndRotation(t *testing.T) {
	s := newRegistrySetup(t)
	s.register(Tokens(300))
	gov, stranger := s.registry(s.owner), s.registry(s.users[3])
	a, newcomer := s.attestors, s.users[4]
	epoch := func() uint64 { return must(gov.ConfigEpoch(s.ctx)) }
	if e := epoch(); e != 1 {
		t.Fatalf("epoch after deployment %d, want 1", e)
	}

	// Signed for an epoch that is not the registry's: refused with both epochs.
	r := s.report(Tokens(10))
	future := r
	future.Epoch = 2
	rev := mustRevert(t, errOf(stranger.Slash(s.ctx, future, s.sign(future, a[0], a[1]))), "StaleEpoch")
	if len(rev.Args) != 2 || rev.Args[0] != uint64(1) || rev.Args[1] != uint64(2) {
		t.Fatalf("StaleEpoch args %v, want [1 2]", rev.Args)
	}
	if digest := must(SlashDigest(s.owner.ChainID(), s.addrs.Registry, future)); common.Hash(must(stranger.HashSlashReport(s.ctx, future))) != common.BytesToHash(digest) {
		t.Fatal("EIP-712 digest with an epoch differs between chain and Go")
	}
	if got := common.Hash(crypto.Keccak256Hash([]byte(SlashTypeString))); got != must(call(s.ctx, gov.bc, gov.b.PackSLASHTYPEHASH(), gov.b.UnpackSLASHTYPEHASH)) {
		t.Fatalf("SlashTypeString hashes to %s, not the contract's SLASH_TYPEHASH", got)
	}
	preRotation := s.sign(r, a[1], a[2]) // both stay attestors through the rotation below

	// Rotation: owner only, validated, atomic.
	mustRevert(t, errOf(stranger.RotateAttestors(s.ctx, nil, []common.Address{newcomer.Address()}, 2)), "OwnableUnauthorizedAccount")
	for _, c := range []struct {
		name        string
		remove, add []common.Address
		k           uint32
		want        string
	}{
		{"duplicate add", nil, []common.Address{newcomer.Address(), newcomer.Address()}, 2, "DuplicateAttestor"},
		{"duplicate remove", []common.Address{a[0].Address(), a[0].Address()}, nil, 1, "DuplicateAttestor"},
		{"removed and added", []common.Address{a[0].Address()}, []common.Address{a[0].Address()}, 2, "DuplicateAttestor"},
		{"unknown remove", []common.Address{newcomer.Address()}, nil, 2, "UnknownAttestor"},
		{"known add", nil, []common.Address{a[0].Address()}, 2, "AttestorExists"},
		{"zero add", nil, []common.Address{{}}, 2, "ZeroAddress"},
		{"zero threshold", []common.Address{a[0].Address()}, []common.Address{newcomer.Address()}, 0, "InvalidThreshold"},
		{"threshold above count", []common.Address{a[0].Address(), a[1].Address()}, nil, 2, "InvalidThreshold"},
	} {
		if _, err := gov.RotateAttestors(s.ctx, c.remove, c.add, c.k); !IsRevert(err, c.want) {
			t.Errorf("rotation %s: %v, want %s", c.name, err, c.want)
		}
	}
	if e := epoch(); e != 1 {
		t.Fatalf("epoch after refused rotations %d, want 1", e)
	}

	rc := must(gov.RotateAttestors(s.ctx, []common.Address{a[0].Address()}, []common.Address{newcomer.Address()}, 3))
	sets := events(rc, gov.Binding().UnpackAttestorSetEvent)
	if len(sets) != 2 || sets[0].Attestor != a[0].Address() || sets[0].Enabled || sets[1].Attestor != newcomer.Address() || !sets[1].Enabled {
		t.Fatalf("AttestorSet events %+v", sets)
	}
	if ev := oneEvent(t, rc, gov.Binding().UnpackThresholdSetEvent); ev.Threshold != 3 {
		t.Fatalf("ThresholdSet %+v", ev)
	}
	if ev := oneEvent(t, rc, gov.Binding().UnpackEpochChangedEvent); ev.Epoch != 2 {
		t.Fatalf("EpochChanged %+v", ev)
	}
	if e, k := epoch(), must(gov.Threshold(s.ctx)); e != 2 || k != 3 {
		t.Fatalf("after rotation: epoch %d threshold %d, want 2 and 3", e, k)
	}
	if must(gov.IsAttestor(s.ctx, a[0].Address())) || !must(gov.IsAttestor(s.ctx, newcomer.Address())) {
		t.Fatal("rotation did not swap the attestors")
	}

	// A report signed before the rotation is dead, even by attestors who stayed and re-signed by
	// enough of them; signed again for the new epoch it goes through.
	rev = mustRevert(t, errOf(stranger.Slash(s.ctx, r, preRotation)), "StaleEpoch")
	if rev.Args[0] != uint64(2) || rev.Args[1] != uint64(1) {
		t.Fatalf("StaleEpoch args %v, want [2 1]", rev.Args)
	}
	r.Epoch = 2
	mustRevert(t, errOf(stranger.Slash(s.ctx, r, preRotation)), "NotEnoughSignatures")
	mustRevert(t, errOf(stranger.Slash(s.ctx, r, s.sign(r, a[0], a[1], a[2]))), "SignerNotAttestor")
	rc = must(stranger.Slash(s.ctx, r, s.sign(r, a[1], a[2], newcomer)))
	slashedAt := s.now()
	if p := must(gov.Provider(s.ctx, s.provider.Address())); p.LastSlashedAt != slashedAt || p.Slashes != 1 || p.SlashNonce != 1 {
		t.Fatalf("provider after slash %+v, want lastSlashedAt %d", p, slashedAt)
	}

	// The indexed reader finds that slash by provider and reason.
	got := must(gov.SlashedEvents(s.ctx, s.provider.Address(), r.Reason, 0))
	if len(got) != 1 || got[0].EvidenceHash != r.EvidenceHash || got[0].Amount.Cmp(Tokens(10)) != 0 || got[0].Raw.TxHash != rc.TxHash {
		t.Fatalf("SlashedEvents %+v", got)
	}
	if other := must(gov.SlashedEvents(s.ctx, s.provider.Address(), crypto.Keccak256Hash([]byte("other")), 0)); len(other) != 0 {
		t.Fatalf("SlashedEvents for another reason %+v", other)
	}
	if none := must(gov.SlashedEvents(s.ctx, s.users[2].Address(), [32]byte{}, 0)); len(none) != 0 {
		t.Fatalf("SlashedEvents for another provider %+v", none)
	}
	if later := must(gov.SlashedEvents(s.ctx, s.provider.Address(), [32]byte{}, rc.BlockNumber.Uint64()+1)); len(later) != 0 {
		t.Fatalf("SlashedEvents after the slash's block %+v", later)
	}
	s.warp(time.Minute)
	r2 := s.report(Tokens(5))
	r2.Reason = crypto.Keccak256Hash([]byte("data-lost"))
	must(stranger.Slash(s.ctx, r2, s.sign(r2, a[1], a[2], newcomer)))
	if p := must(gov.Provider(s.ctx, s.provider.Address())); p.LastSlashedAt != s.now() || p.LastSlashedAt <= slashedAt {
		t.Fatalf("lastSlashedAt %d after a second slash at %d", p.LastSlashedAt, s.now())
	}
	if all := must(gov.SlashedEvents(s.ctx, s.provider.Address(), [32]byte{}, 0)); len(all) != 2 || all[0].Reason != r.Reason || all[1].Reason != r2.Reason {
		t.Fatalf("SlashedEvents for any reason %+v", all)
	}

	// Each single governance change moves the epoch on too.
	for i, step := range []func() error{
		func() error { return errOf(gov.AddAttestor(s.ctx, a[0].Address())) },
		func() error { return errOf(gov.SetThreshold(s.ctx, 2)) },
		func() error { return errOf(gov.RemoveAttestor(s.ctx, a[0].Address())) },
	} {
		if err := step(); err != nil {
			t.Fatalf("governance step %d: %v", i, err)
		}
		if e := epoch(); e != uint64(3+i) {
			t.Fatalf("epoch after governance step %d: %d, want %d", i, e, 3+i)
		}
	}
	// Setting the treasury or the share is not an attestor-set change.
	must(gov.SetConsumerShareBps(s.ctx, 100))
	if e := epoch(); e != 5 {
		t.Fatalf("epoch after setConsumerShareBps %d, want 5", e)
	}
}

func TestAllocStreamKey(t *testing.T) {
	want := crypto.Keccak256Hash([]byte("dec2-billing/3f2a-alloc/2"))
	if got := AllocStreamKey("3f2a-alloc", 2); got != want {
		t.Fatalf("AllocStreamKey = %s, want %s", got, want)
	}
}
