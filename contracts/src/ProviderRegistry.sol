// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Provider wallets, their stakes, and k-of-n attested slashing.
/// @notice A provider binds its wallet to a hash of its Nomad node id and stakes at least
/// `minStake`. Unbonding takes `unbondDelay`, and unbonding tokens stay slashable until withdrawn.
/// A slash needs `threshold` distinct attestors' EIP-712 signatures over a report carrying the
/// provider's next slash nonce and a deadline; the slashed tokens go to the affected consumer
/// (`consumerShareBps`), to the repair fund (`repairShareBps`: whoever rebuilds what the provider
/// lost is paid from its stake) and the rest to the treasury.
/// Reports also carry the registry's `configEpoch`, which starts at 1 and goes up by one on every
/// change of the attestor set or the threshold (addAttestor, removeAttestor, setThreshold,
/// rotateAttestors): signatures gathered under an older set no longer verify.
contract ProviderRegistry is Ownable, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant SLASH_TYPEHASH = keccak256(
        "Slash(address provider,address consumer,bytes32 reason,bytes32 evidenceHash,uint256 amount,uint256 nonce,uint256 deadline,uint64 epoch)"
    );
    uint16 public constant BPS = 10_000;

    struct Provider {
        bytes32 nodeIdHash;
        uint128 stake;
        uint128 unbonding;
        uint64 unbondableAt;
        uint32 slashes;
        uint32 uptimeAttestations;
        uint64 slashNonce;
        uint64 lastSlashedAt; // block time of the latest slash, 0 if never slashed
    }

    struct SlashReport {
        address provider;
        address consumer; // the affected consumer; address(0) sends everything to the treasury
        bytes32 reason;
        bytes32 evidenceHash;
        uint256 amount;
        uint256 nonce;
        uint256 deadline;
        uint64 epoch; // must equal configEpoch
    }

    IERC20 public immutable token;
    uint256 public immutable minStake;
    uint64 public immutable unbondDelay;

    // One slot: everything slash reads besides the treasury and the repair fund.
    uint16 public consumerShareBps;
    uint16 public repairShareBps;
    uint32 public attestorCount;
    uint32 public threshold;
    uint64 public configEpoch;
    address public treasury;
    address public repairFund;
    mapping(address => bool) public isAttestor;
    mapping(address provider => Provider) private _providers;
    mapping(bytes32 nodeIdHash => address provider) public providerOfNode;

    event Registered(address indexed provider, bytes32 indexed nodeIdHash, uint256 stake);
    event Staked(address indexed provider, uint256 amount, uint256 stake);
    event UnbondRequested(address indexed provider, uint256 amount, uint64 unbondableAt);
    event Unbonded(address indexed provider, uint256 amount);
    event Slashed(
        address indexed provider,
        address indexed consumer,
        bytes32 indexed reason,
        bytes32 evidenceHash,
        uint256 amount,
        uint256 toConsumer
    );
    event UptimeAttested(address indexed provider, address indexed attestor, uint32 total);
    event AttestorSet(address indexed attestor, bool enabled);
    event ThresholdSet(uint32 threshold);
    event TreasurySet(address treasury);
    event ConsumerShareSet(uint16 bps);
    event RepairFundSet(address repairFund, uint16 bps);
    event RepairFunded(address indexed provider, address indexed repairFund, uint256 amount);
    event EpochChanged(uint64 epoch);

    error ZeroAddress();
    error ZeroAmount();
    error ZeroNodeId();
    error AlreadyRegistered(address provider);
    error NodeAlreadyRegistered(bytes32 nodeIdHash, address provider);
    error NotRegistered(address provider);
    error StakeBelowMinimum(uint256 stake, uint256 minStake);
    error InsufficientStake(uint256 requested, uint256 stake);
    error NothingUnbonding();
    error UnbondingNotReady(uint64 unbondableAt);
    error NotAttestor(address caller);
    error AttestorExists(address attestor);
    error UnknownAttestor(address attestor);
    error InvalidThreshold(uint32 threshold, uint32 attestorCount);
    error InvalidShare(uint16 bps);
    error ReportExpired(uint256 deadline);
    error InvalidNonce(uint256 expected, uint256 got);
    error SignersNotAscending(address signer);
    error SignerNotAttestor(address signer);
    error NotEnoughSignatures(uint256 got, uint32 threshold);
    error StaleEpoch(uint64 expected, uint64 got);
    error DuplicateAttestor(address attestor);

    constructor(
        address owner_,
        IERC20 token_,
        uint256 minStake_,
        uint64 unbondDelay_,
        address treasury_,
        uint16 consumerShareBps_,
        address repairFund_,
        uint16 repairShareBps_,
        address[] memory attestors,
        uint32 threshold_
    ) Ownable(owner_) EIP712("dec2 ProviderRegistry", "1") {
        if (address(token_) == address(0) || treasury_ == address(0)) revert ZeroAddress();
        if (minStake_ == 0) revert ZeroAmount();
        token = token_;
        minStake = minStake_;
        unbondDelay = unbondDelay_;
        _setTreasury(treasury_);
        _setConsumerShare(consumerShareBps_);
        _setRepairFund(repairFund_, repairShareBps_);
        for (uint256 i; i < attestors.length; ++i) {
            _addAttestor(attestors[i]);
        }
        _setThreshold(threshold_);
        configEpoch = 1;
        emit EpochChanged(1);
    }

    // ---- providers ----

    function register(bytes32 nodeIdHash, uint256 amount) external nonReentrant {
        if (nodeIdHash == bytes32(0)) revert ZeroNodeId();
        Provider storage p = _providers[msg.sender];
        if (p.nodeIdHash != bytes32(0)) revert AlreadyRegistered(msg.sender);
        address holder = providerOfNode[nodeIdHash];
        if (holder != address(0)) revert NodeAlreadyRegistered(nodeIdHash, holder);
        if (amount < minStake) revert StakeBelowMinimum(amount, minStake);
        p.nodeIdHash = nodeIdHash;
        p.stake = uint128(amount);
        providerOfNode[nodeIdHash] = msg.sender;
        emit Registered(msg.sender, nodeIdHash, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    function stake(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _registered(msg.sender);
        uint128 newStake = p.stake + uint128(amount);
        p.stake = newStake;
        emit Staked(msg.sender, amount, newStake);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// Moves `amount` of stake into unbonding; the whole unbonding balance becomes withdrawable
    /// `unbondDelay` after the latest request.
    function requestUnbond(uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Provider storage p = _registered(msg.sender);
        if (amount > p.stake) revert InsufficientStake(amount, p.stake);
        p.stake -= uint128(amount);
        p.unbonding += uint128(amount);
        uint64 readyAt = uint64(block.timestamp) + unbondDelay;
        p.unbondableAt = readyAt;
        emit UnbondRequested(msg.sender, amount, readyAt);
    }

    function withdrawUnbonded() external nonReentrant {
        Provider storage p = _registered(msg.sender);
        uint256 amount = p.unbonding;
        if (amount == 0) revert NothingUnbonding();
        if (block.timestamp < p.unbondableAt) revert UnbondingNotReady(p.unbondableAt);
        p.unbonding = 0;
        emit Unbonded(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---- attestors ----

    function attestUptime(address provider) external {
        if (!isAttestor[msg.sender]) revert NotAttestor(msg.sender);
        Provider storage p = _registered(provider);
        uint32 total = p.uptimeAttestations + 1;
        p.uptimeAttestations = total;
        emit UptimeAttested(provider, msg.sender, total);
    }

    /// Slashes with `threshold` attestor signatures, given in ascending signer order, over a
    /// report for the current `configEpoch`. The amount is capped at what the provider has staked
    /// and unbonding; stake is taken first. Records the slash's time in `lastSlashedAt`.
    function slash(SlashReport calldata report, bytes[] calldata signatures) external nonReentrant {
        if (block.timestamp > report.deadline) revert ReportExpired(report.deadline);
        if (report.epoch != configEpoch) revert StaleEpoch(configEpoch, report.epoch);
        Provider storage p = _registered(report.provider);
        uint64 nonce = p.slashNonce;
        if (report.nonce != nonce) revert InvalidNonce(nonce, report.nonce);
        if (report.amount == 0) revert ZeroAmount();
        _verifySignatures(hashSlashReport(report), signatures);

        uint256 slashed = _debit(p, report.amount, nonce);
        address consumer = report.consumer;
        uint256 toConsumer = consumer == address(0) ? 0 : slashed * consumerShareBps / BPS;
        uint256 toRepair = slashed * repairShareBps / BPS;
        emit Slashed(report.provider, consumer, report.reason, report.evidenceHash, slashed, toConsumer);
        if (toConsumer != 0) token.safeTransfer(consumer, toConsumer);
        if (toRepair != 0) {
            address fund = repairFund;
            emit RepairFunded(report.provider, fund, toRepair);
            token.safeTransfer(fund, toRepair);
        }
        uint256 rest = slashed - toConsumer - toRepair;
        if (rest != 0) token.safeTransfer(treasury, rest);
    }

    // ---- governance ----

    function addAttestor(address attestor) external onlyOwner {
        _addAttestor(attestor);
        _bumpEpoch();
    }

    /// Removing an attestor may not leave fewer attestors than the threshold; lower it first.
    function removeAttestor(address attestor) external onlyOwner {
        _removeAttestor(attestor);
        if (attestorCount < threshold) revert InvalidThreshold(threshold, attestorCount);
        _bumpEpoch();
    }

    function setThreshold(uint32 threshold_) external onlyOwner {
        _setThreshold(threshold_);
        _bumpEpoch();
    }

    /// Replaces attestors and sets the threshold in one step, moving to the next epoch once:
    /// removes `remove` (each must be an attestor), then adds `add` (none may be one), then sets
    /// `threshold_` (1..the new count). An address may appear only once across both lists.
    function rotateAttestors(address[] calldata remove, address[] calldata add, uint32 threshold_)
        external
        onlyOwner
    {
        uint256 n = remove.length + add.length;
        for (uint256 i = 1; i < n; ++i) {
            address a = i < remove.length ? remove[i] : add[i - remove.length];
            for (uint256 j; j < i; ++j) {
                if (a == (j < remove.length ? remove[j] : add[j - remove.length])) revert DuplicateAttestor(a);
            }
        }
        for (uint256 i; i < remove.length; ++i) {
            _removeAttestor(remove[i]);
        }
        for (uint256 i; i < add.length; ++i) {
            _addAttestor(add[i]);
        }
        _setThreshold(threshold_);
        _bumpEpoch();
    }

    function setTreasury(address treasury_) external onlyOwner {
        _setTreasury(treasury_);
    }

    function setConsumerShareBps(uint16 bps) external onlyOwner {
        _setConsumerShare(bps);
    }

    /// Sends `bps` of every slash to `fund`, the wallet of the repair worker that rebuilds what
    /// slashed providers lost (`dec2-repair`); 0 turns it off. With the consumer's share it may
    /// not exceed the whole.
    function setRepairFund(address fund, uint16 bps) external onlyOwner {
        _setRepairFund(fund, bps);
    }

    // ---- views ----

    function getProvider(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// Registered with at least the minimum stake.
    function isActive(address provider) external view returns (bool) {
        Provider storage p = _providers[provider];
        return p.nodeIdHash != bytes32(0) && p.stake >= minStake;
    }

    /// The EIP-712 digest attestors sign for `report`.
    function hashSlashReport(SlashReport calldata r) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    SLASH_TYPEHASH,
                    r.provider,
                    r.consumer,
                    r.reason,
                    r.evidenceHash,
                    r.amount,
                    r.nonce,
                    r.deadline,
                    r.epoch
                )
            )
        );
    }

    // ---- internals ----

    /// Distinct attestors, at least `threshold` of them, signed `digest`; ascending signer order
    /// makes duplicates detectable without storage.
    function _verifySignatures(bytes32 digest, bytes[] calldata signatures) private view {
        uint32 k = threshold;
        if (signatures.length < k) revert NotEnoughSignatures(signatures.length, k);
        address last;
        for (uint256 i; i < signatures.length; ++i) {
            address signer = ECDSA.recoverCalldata(digest, signatures[i]);
            if (signer <= last) revert SignersNotAscending(signer);
            if (!isAttestor[signer]) revert SignerNotAttestor(signer);
            last = signer;
        }
    }

    function _registered(address provider) private view returns (Provider storage p) {
        p = _providers[provider];
        if (p.nodeIdHash == bytes32(0)) revert NotRegistered(provider);
    }

    function _addAttestor(address attestor) private {
        if (attestor == address(0)) revert ZeroAddress();
        if (isAttestor[attestor]) revert AttestorExists(attestor);
        isAttestor[attestor] = true;
        attestorCount += 1;
        emit AttestorSet(attestor, true);
    }

    /// Takes up to `amount` from stake, then unbonding, and records the slash; returns what it took.
    function _debit(Provider storage p, uint256 amount, uint64 nonce) private returns (uint256) {
        uint128 staked = p.stake;
        uint128 unbonding = p.unbonding;
        uint256 fromStake = amount < staked ? amount : staked;
        uint256 fromUnbonding = amount - fromStake;
        if (fromUnbonding > unbonding) fromUnbonding = unbonding;
        (p.stake, p.unbonding) = (staked - uint128(fromStake), unbonding - uint128(fromUnbonding));
        (p.slashes, p.slashNonce, p.lastSlashedAt) = (p.slashes + 1, nonce + 1, uint64(block.timestamp));
        return fromStake + fromUnbonding;
    }

    function _removeAttestor(address attestor) private {
        if (!isAttestor[attestor]) revert UnknownAttestor(attestor);
        isAttestor[attestor] = false;
        attestorCount -= 1;
        emit AttestorSet(attestor, false);
    }

    function _bumpEpoch() private {
        uint64 epoch = configEpoch + 1;
        configEpoch = epoch;
        emit EpochChanged(epoch);
    }

    function _setThreshold(uint32 threshold_) private {
        if (threshold_ == 0 || threshold_ > attestorCount) revert InvalidThreshold(threshold_, attestorCount);
        threshold = threshold_;
        emit ThresholdSet(threshold_);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    function _setRepairFund(address fund, uint16 bps) private {
        if (bps != 0 && fund == address(0)) revert ZeroAddress();
        if (uint256(bps) + consumerShareBps > BPS) revert InvalidShare(bps);
        repairFund = fund;
        repairShareBps = bps;
        emit RepairFundSet(fund, bps);
    }

    function _setConsumerShare(uint16 bps) private {
        if (uint256(bps) + repairShareBps > BPS) revert InvalidShare(bps);
        consumerShareBps = bps;
        emit ConsumerShareSet(bps);
    }
}
