// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/// @title Per-second payment streams from a consumer's deposit to providers.
/// @notice A consumer deposits tokens and authorises operators (the billing service's key). An
/// operator opens one stream per allocation under a key it chooses (e.g. keccak of the Nomad
/// allocation id), so that after a crash it can look the stream up by that key. Providers withdraw
/// what has accrued at any time; `settleMany` pays many streams in one transaction.
///
/// Accounting is per consumer and lazy: `accrued` is what the consumer's streams have earned up to
/// `checkpoint` and not yet been paid; the sum of the running streams' rates extends it linearly.
/// When the deposit cannot fund another second the consumer's running streams halt together at
/// that second (`insolventSince`); they never resume, even after a top-up: the billing service
/// closes them and stops the jobs. For every consumer, at any time:
///     deposited == paid to providers + withdrawn by the consumer + owed + refundable.
contract StreamEscrow is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    /// How far in the past an operator may start a stream (the allocation started running a
    /// little before the billing service saw it).
    uint256 public constant MAX_BACKDATE = 1 hours;

    // Storage is packed for the hot paths (a provider's withdrawal, settleMany): the first
    // Account slot is the only one written while a consumer stays solvent, and a stream is two
    // slots. Times are uint40 (good until year 36812). A consumer's epoch is uint16: after 65,535
    // insolvencies its account can no longer be synced, which only that consumer can bring about.
    struct Account {
        uint96 balance; // deposited, not yet paid out or withdrawn (owed + refundable)
        uint96 accrued; // owed to streams as of `checkpoint`, not yet paid
        uint40 checkpoint;
        uint16 epoch; // bumped at each halt; streams opened in older epochs are halted
        uint96 rate; // sum of the rates of running streams
        uint40 insolventSince; // the last funded second of halted streams; 0 while solvent
    }

    struct Stream {
        address consumer;
        uint88 rate; // token base units per second
        bool closed;
        address provider;
        uint40 start;
        uint40 settledAt; // paid up to this time; a closed stream is paid up to its end
        uint16 epoch;
    }

    /// A stream as the billing service sees it.
    struct StreamView {
        address consumer;
        address provider;
        uint256 rate;
        uint64 start;
        uint64 settledAt;
        uint64 end; // 0 while open
        uint64 haltedAt; // 0 unless the consumer ran out of deposit while it ran
        uint256 owed; // accrued, not yet paid
    }

    struct AccountView {
        uint256 balance;
        uint256 owed;
        uint256 refundable;
        uint256 rate;
        uint64 insolventSince;
    }

    IERC20 public immutable token;

    mapping(address consumer => Account) private _accounts;
    mapping(bytes32 key => Stream) private _streams;
    mapping(address consumer => mapping(uint16 epoch => uint40)) private _haltedAt;
    mapping(address consumer => mapping(address operator => bool)) public isOperator;

    event OperatorSet(address indexed consumer, address indexed operator, bool approved);
    event Deposited(address indexed consumer, address indexed from, uint256 amount);
    event Withdrawn(address indexed consumer, uint256 amount);
    event StreamOpened(
        bytes32 indexed key, address indexed consumer, address indexed provider, uint256 rate, uint64 start
    );
    event StreamSettled(bytes32 indexed key, uint256 amount, uint64 settledTo);
    event StreamClosed(bytes32 indexed key, uint64 end);
    event Insolvent(address indexed consumer, uint64 since);

    error ZeroAmount();
    error ZeroAddress();
    error ZeroKey();
    error ZeroRate();
    error NotOperator(address consumer, address caller);
    error NotProvider(bytes32 key, address caller);
    error NotOperatorOrProvider(bytes32 key, address caller);
    error StreamExists(bytes32 key);
    error UnknownStream(bytes32 key);
    error StreamClosedAlready(bytes32 key);
    error StartInFuture(uint64 start, uint256 nowTime);
    error StartTooOld(uint64 start, uint256 nowTime);
    error EndOutOfRange(uint64 end, uint64 start, uint256 nowTime);
    error InsufficientDeposit(uint256 available, uint256 needed);
    error ExceedsRefundable(uint256 requested, uint256 refundable);

    constructor(IERC20 token_) {
        if (address(token_) == address(0)) revert ZeroAddress();
        token = token_;
    }

    // ---- consumer ----

    function setOperator(address operator, bool approved) external {
        if (operator == address(0)) revert ZeroAddress();
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
    }

    function deposit(uint256 amount) external nonReentrant {
        _deposit(msg.sender, amount);
    }

    /// Deposits with an EIP-2612 permit instead of a prior approve. A permit already used by a
    /// front-runner is tolerated when the allowance is in place anyway.
    function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        try IERC20Permit(address(token)).permit(msg.sender, address(this), amount, deadline, v, r, s) {} catch {}
        _deposit(msg.sender, amount);
    }

    /// Withdraws up to the part of the deposit that no stream is owed.
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account memory a = _sync(msg.sender);
        uint256 refundable = a.balance - a.accrued;
        if (amount > refundable) revert ExceedsRefundable(amount, refundable);
        _accounts[msg.sender].balance = uint96(a.balance - amount);
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ---- operator ----

    /// Opens a stream under `key`, accruing `rate` base units per second from `start` (0 = now; at
    /// most MAX_BACKDATE in the past). The deposit must cover the back-dated part and one second.
    function openStream(bytes32 key, address consumer, address provider, uint256 rate, uint64 start) external {
        if (msg.sender != consumer && !isOperator[consumer][msg.sender]) revert NotOperator(consumer, msg.sender);
        if (key == bytes32(0)) revert ZeroKey();
        if (provider == address(0) || consumer == address(0)) revert ZeroAddress();
        if (rate == 0) revert ZeroRate();
        if (_streams[key].consumer != address(0)) revert StreamExists(key);
        if (start == 0) start = uint64(block.timestamp);
        if (start > block.timestamp) revert StartInFuture(start, block.timestamp);
        if (block.timestamp - start > MAX_BACKDATE) revert StartTooOld(start, block.timestamp);

        Account memory a = _sync(consumer);
        uint256 newRate = uint256(a.rate) + rate;
        uint256 backdated = uint256(rate) * (block.timestamp - start);
        uint256 free = a.balance - a.accrued;
        if (free < backdated + newRate) revert InsufficientDeposit(free, backdated + newRate);

        Account storage acc = _accounts[consumer];
        acc.accrued = uint96(a.accrued + backdated);
        acc.rate = newRate.toUint96();
        _streams[key] = Stream({
            consumer: consumer,
            rate: rate.toUint88(),
            closed: false,
            provider: provider,
            start: uint40(start),
            settledAt: uint40(start),
            epoch: a.epoch
        });
        emit StreamOpened(key, consumer, provider, rate, start);
    }

    /// Stops a stream at `end`: the moment the allocation stopped, which may be a little in the
    /// past (never before the start, never in the future), and pays the provider what it earned.
    /// Time already paid to the provider stays paid: an end before `settledAt` counts as
    /// `settledAt`. Callable by the consumer's operators and by the provider.
    function closeStream(bytes32 key, uint64 end) external nonReentrant {
        Stream storage s = _streams[key];
        address consumer = s.consumer;
        if (consumer == address(0)) revert UnknownStream(key);
        if (msg.sender != s.provider && msg.sender != consumer && !isOperator[consumer][msg.sender]) {
            revert NotOperatorOrProvider(key, msg.sender);
        }
        if (s.closed) revert StreamClosedAlready(key);
        if (end < s.start || end > block.timestamp) revert EndOutOfRange(end, s.start, block.timestamp);

        Account memory a = _sync(consumer);
        uint256 stop = _stopAt(s, a, consumer);
        uint256 effective = end < s.settledAt ? s.settledAt : end;
        if (effective > stop) effective = stop;
        // The account booked accrual up to `stop`; take back what lies after `effective`.
        uint256 unearned = uint256(s.rate) * (stop - effective);
        Account storage acc = _accounts[consumer];
        acc.accrued = uint96(a.accrued - unearned);
        if (s.epoch == a.epoch) acc.rate = a.rate - s.rate;
        s.closed = true;
        emit StreamClosed(key, uint64(effective));
        _settle(key, s, consumer, effective);
    }

    // ---- provider / anyone ----

    /// Pays the provider of `key` what its stream has accrued.
    function withdrawFromStream(bytes32 key) external nonReentrant {
        Stream storage s = _streams[key];
        if (s.consumer == address(0)) revert UnknownStream(key);
        if (msg.sender != s.provider) revert NotProvider(key, msg.sender);
        Account memory a = _sync(s.consumer);
        _settle(key, s, s.consumer, _stopAt(s, a, s.consumer));
    }

    /// Pays many streams' providers in one transaction, each up to `until` at most; anyone may
    /// call it. Unknown keys revert. The cap exists because paid time is kept when a stream is
    /// later closed earlier: an operator settles only up to when it last saw the work running,
    /// not up to whenever the transaction happens to be mined.
    function settleMany(bytes32[] calldata keys, uint64 until) external nonReentrant {
        for (uint256 i; i < keys.length; ++i) {
            bytes32 key = keys[i];
            Stream storage s = _streams[key];
            address consumer = s.consumer;
            if (consumer == address(0)) revert UnknownStream(key);
            Account memory a = _sync(consumer);
            uint256 stop = _stopAt(s, a, consumer);
            _settle(key, s, consumer, stop < until ? stop : until);
        }
    }

    // ---- views ----

    function getStream(bytes32 key) external view returns (StreamView memory v) {
        Stream memory s = _streams[key];
        if (s.consumer == address(0)) return v;
        (Account memory a, uint40 haltAt) = _advance(_accounts[s.consumer], block.timestamp);
        uint256 stop = _stopAtView(s, a, haltAt, s.consumer);
        v = StreamView({
            consumer: s.consumer,
            provider: s.provider,
            rate: s.rate,
            start: s.start,
            settledAt: s.settledAt,
            end: s.closed ? s.settledAt : 0,
            haltedAt: _haltOf(s, a, haltAt, s.consumer),
            owed: stop > s.settledAt ? uint256(s.rate) * (stop - s.settledAt) : 0
        });
    }

    function streamExists(bytes32 key) external view returns (bool) {
        return _streams[key].consumer != address(0);
    }

    function getAccount(address consumer) external view returns (AccountView memory) {
        (Account memory a,) = _advance(_accounts[consumer], block.timestamp);
        return AccountView({
            balance: a.balance,
            owed: a.accrued,
            refundable: a.balance - a.accrued,
            rate: a.rate,
            insolventSince: a.insolventSince
        });
    }

    /// The last second the consumer's running streams were funded, once its deposit ran out;
    /// 0 while solvent. The billing service stops the consumer's jobs when it is non-zero.
    function insolventSince(address consumer) external view returns (uint64) {
        (Account memory a,) = _advance(_accounts[consumer], block.timestamp);
        return a.insolventSince;
    }

    // ---- internals ----

    function _deposit(address consumer, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Account memory a = _sync(consumer);
        Account storage acc = _accounts[consumer];
        acc.balance = (a.balance + amount).toUint96();
        if (a.insolventSince != 0) acc.insolventSince = 0;
        emit Deposited(consumer, msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// Brings the consumer's account up to now, halting its running streams if the deposit ran
    /// out, and returns it.
    function _sync(address consumer) private returns (Account memory a) {
        a = _accounts[consumer];
        if (a.checkpoint == block.timestamp) return a;
        uint40 haltAt;
        (a, haltAt) = _advance(a, block.timestamp);
        if (haltAt != 0) {
            _haltedAt[consumer][a.epoch - 1] = haltAt;
            emit Insolvent(consumer, haltAt);
        }
        _accounts[consumer] = a;
    }

    /// The account as of `nowTime`, and the halt time if its running streams halt on the way.
    function _advance(Account memory a, uint256 nowTime) private pure returns (Account memory, uint40 haltAt) {
        if (a.checkpoint == nowTime) return (a, 0);
        uint256 r = a.rate;
        if (r != 0) {
            uint256 fundedUntil = a.checkpoint + (a.balance - a.accrued) / r;
            if (nowTime > fundedUntil) {
                haltAt = uint40(fundedUntil);
                a.accrued += uint96(r * (fundedUntil - a.checkpoint));
                a.rate = 0;
                a.insolventSince = haltAt;
                a.epoch += 1;
            } else {
                a.accrued += uint96(r * (nowTime - a.checkpoint));
            }
        }
        a.checkpoint = uint40(nowTime);
        return (a, haltAt);
    }

    /// When a stream stops accruing, given its consumer's synced account.
    function _stopAt(Stream storage s, Account memory a, address consumer) private view returns (uint256 stop) {
        if (s.closed) return s.settledAt;
        stop = block.timestamp;
        if (s.epoch != a.epoch) {
            uint256 h = _haltedAt[consumer][s.epoch];
            if (h < stop) stop = h;
        }
    }

    function _haltOf(Stream memory s, Account memory a, uint40 haltAt, address consumer)
        private
        view
        returns (uint40)
    {
        if (s.epoch == a.epoch) return 0;
        // A halt that only the view's simulation found has not been stored yet.
        if (haltAt != 0 && s.epoch == a.epoch - 1) return haltAt;
        return _haltedAt[consumer][s.epoch];
    }

    function _stopAtView(Stream memory s, Account memory a, uint40 haltAt, address consumer)
        private
        view
        returns (uint256 stop)
    {
        if (s.closed) return s.settledAt;
        stop = block.timestamp;
        uint256 h = _haltOf(s, a, haltAt, consumer);
        if (h != 0 && h < stop) stop = h;
    }

    /// Pays the provider up to `stop` (CEI: books the payment, then transfers).
    function _settle(bytes32 key, Stream storage s, address consumer, uint256 stop) private {
        uint256 settledAt = s.settledAt;
        if (stop <= settledAt) return;
        uint256 amount = uint256(s.rate) * (stop - settledAt);
        s.settledAt = uint40(stop);
        Account storage acc = _accounts[consumer];
        acc.accrued -= uint96(amount);
        acc.balance -= uint96(amount);
        address provider = s.provider;
        emit StreamSettled(key, amount, uint64(stop));
        token.safeTransfer(provider, amount);
    }
}
