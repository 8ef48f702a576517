// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Dec2Token} from "./Dec2Token.sol";

/// @title Fixed-rate ETH -> DEC2 sale with a soft cap.
/// @notice Buyers pay during [start, end). Tokens are delivered by `claim` once the sale has ended
/// with at least `softCap` raised; otherwise buyers take their ETH back with `refund`. Delivery is
/// deferred so that a missed soft cap never leaves tokens in circulation. The sale mints, so it
/// needs the token's MINTER_ROLE.
contract TokenSale is Ownable, ReentrancyGuardTransient {
    Dec2Token public immutable token;
    /// Token base units per wei.
    uint256 public immutable rate;
    uint64 public immutable start;
    uint64 public immutable end;
    uint256 public immutable softCap;
    uint256 public immutable hardCap;
    uint256 public immutable maxPerBuyer;

    uint256 public raised;
    bool public proceedsWithdrawn;
    mapping(address buyer => uint256 weiPaid) public contributions;

    event Purchased(address indexed buyer, uint256 weiPaid, uint256 tokens);
    event Claimed(address indexed buyer, uint256 tokens);
    event Refunded(address indexed buyer, uint256 weiRefunded);
    event ProceedsWithdrawn(address indexed to, uint256 amount);

    error InvalidConfig();
    error SaleNotOpen(uint256 nowTime, uint64 start, uint64 end);
    error SaleNotEnded(uint64 end);
    error ZeroPurchase();
    error HardCapExceeded(uint256 raisedAfter, uint256 hardCap);
    error BuyerLimitExceeded(uint256 contributionAfter, uint256 maxPerBuyer);
    error SoftCapNotReached(uint256 raised, uint256 softCap);
    error SoftCapReached(uint256 raised, uint256 softCap);
    error NothingToClaim();
    error AlreadyWithdrawn();
    error EthTransferFailed();

    constructor(
        address owner_,
        Dec2Token token_,
        uint256 rate_,
        uint64 start_,
        uint64 end_,
        uint256 softCap_,
        uint256 hardCap_,
        uint256 maxPerBuyer_
    ) Ownable(owner_) {
        if (rate_ == 0 || start_ >= end_ || softCap_ > hardCap_ || hardCap_ == 0 || maxPerBuyer_ == 0) {
            revert InvalidConfig();
        }
        token = token_;
        rate = rate_;
        start = start_;
        end = end_;
        softCap = softCap_;
        hardCap = hardCap_;
        maxPerBuyer = maxPerBuyer_;
    }

    function buy() external payable {
        if (block.timestamp < start || block.timestamp >= end) revert SaleNotOpen(block.timestamp, start, end);
        if (msg.value == 0) revert ZeroPurchase();
        uint256 raisedAfter = raised + msg.value;
        if (raisedAfter > hardCap) revert HardCapExceeded(raisedAfter, hardCap);
        uint256 contributionAfter = contributions[msg.sender] + msg.value;
        if (contributionAfter > maxPerBuyer) revert BuyerLimitExceeded(contributionAfter, maxPerBuyer);
        raised = raisedAfter;
        contributions[msg.sender] = contributionAfter;
        emit Purchased(msg.sender, msg.value, msg.value * rate);
    }

    /// Delivers the caller's tokens after a successful sale.
    function claim() external nonReentrant {
        _requireEnded();
        if (raised < softCap) revert SoftCapNotReached(raised, softCap);
        uint256 paid = contributions[msg.sender];
        if (paid == 0) revert NothingToClaim();
        contributions[msg.sender] = 0;
        uint256 tokens = paid * rate;
        emit Claimed(msg.sender, tokens);
        token.mint(msg.sender, tokens);
    }

    /// Returns the caller's ETH after a sale that missed its soft cap.
    function refund() external nonReentrant {
        _requireEnded();
        if (raised >= softCap) revert SoftCapReached(raised, softCap);
        uint256 paid = contributions[msg.sender];
        if (paid == 0) revert NothingToClaim();
        contributions[msg.sender] = 0;
        emit Refunded(msg.sender, paid);
        _sendEth(msg.sender, paid);
    }

    function withdrawProceeds(address to) external onlyOwner nonReentrant {
        _requireEnded();
        if (raised < softCap) revert SoftCapNotReached(raised, softCap);
        if (proceedsWithdrawn) revert AlreadyWithdrawn();
        proceedsWithdrawn = true;
        emit ProceedsWithdrawn(to, raised);
        _sendEth(to, raised);
    }

    function _requireEnded() private view {
        if (block.timestamp < end) revert SaleNotEnded(end);
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert EthTransferFailed();
    }
}
