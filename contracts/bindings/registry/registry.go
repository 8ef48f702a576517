// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package registry

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// ProviderRegistryProvider is an auto generated low-level Go binding around an user-defined struct.
type ProviderRegistryProvider struct {
	NodeIdHash         [32]byte
	Stake              *big.Int
	Unbonding          *big.Int
	UnbondableAt       uint64
	Slashes            uint32
	UptimeAttestations uint32
	SlashNonce         uint64
	LastSlashedAt      uint64
}

// ProviderRegistrySlashReport is an auto generated low-level Go binding around an user-defined struct.
type ProviderRegistrySlashReport struct {
	Provider     common.Address
	Consumer     common.Address
	Reason       [32]byte
	EvidenceHash [32]byte
	Amount       *big.Int
	Nonce        *big.Int
	Deadline     *big.Int
	Epoch        uint64
}

// ProviderRegistryMetaData contains all meta data concerning the ProviderRegistry contract.
var ProviderRegistryMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner_\",\"type\":\"address\"},{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"minStake_\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"unbondDelay_\",\"type\":\"uint64\"},{\"internalType\":\"address\",\"name\":\"treasury_\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"consumerShareBps_\",\"type\":\"uint16\"},{\"internalType\":\"address\",\"name\":\"repairFund_\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"repairShareBps_\",\"type\":\"uint16\"},{\"internalType\":\"address[]\",\"name\":\"attestors\",\"type\":\"address[]\"},{\"internalType\":\"uint32\",\"name\":\"threshold_\",\"type\":\"uint32\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"AlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"AttestorExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"DuplicateAttestor\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ECDSAInvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"ECDSAInvalidSignatureLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"name\":\"ECDSAInvalidSignatureS\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"requested\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"InsufficientStake\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"}],\"name\":\"InvalidNonce\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"name\":\"InvalidShare\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"threshold\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"attestorCount\",\"type\":\"uint32\"}],\"name\":\"InvalidThreshold\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"nodeIdHash\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NodeAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"got\",\"type\":\"uint256\"},{\"internalType\":\"uint32\",\"name\":\"threshold\",\"type\":\"uint32\"}],\"name\":\"NotEnoughSignatures\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"NotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingUnbonding\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"OwnableInvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"OwnableUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"ReportExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"SignerNotAttestor\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"SignersNotAscending\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"minStake\",\"type\":\"uint256\"}],\"name\":\"StakeBelowMinimum\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"expected\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"got\",\"type\":\"uint64\"}],\"name\":\"StaleEpoch\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"unbondableAt\",\"type\":\"uint64\"}],\"name\":\"UnbondingNotReady\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"UnknownAttestor\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroNodeId\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"enabled\",\"type\":\"bool\"}],\"name\":\"AttestorSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"name\":\"ConsumerShareSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"name\":\"EpochChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"nodeIdHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"Registered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"repairFund\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"name\":\"RepairFundSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"repairFund\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"RepairFunded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"reason\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"toConsumer\",\"type\":\"uint256\"}],\"name\":\"Slashed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"stake\",\"type\":\"uint256\"}],\"name\":\"Staked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"threshold\",\"type\":\"uint32\"}],\"name\":\"ThresholdSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"treasury\",\"type\":\"address\"}],\"name\":\"TreasurySet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"unbondableAt\",\"type\":\"uint64\"}],\"name\":\"UnbondRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Unbonded\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint32\",\"name\":\"total\",\"type\":\"uint32\"}],\"name\":\"UptimeAttested\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"BPS\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"SLASH_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"addAttestor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"attestUptime\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"attestorCount\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"configEpoch\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"consumerShareBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"getProvider\",\"outputs\":[{\"components\":[{\"internalType\":\"bytes32\",\"name\":\"nodeIdHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint128\",\"name\":\"stake\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"unbonding\",\"type\":\"uint128\"},{\"internalType\":\"uint64\",\"name\":\"unbondableAt\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"slashes\",\"type\":\"uint32\"},{\"internalType\":\"uint32\",\"name\":\"uptimeAttestations\",\"type\":\"uint32\"},{\"internalType\":\"uint64\",\"name\":\"slashNonce\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"lastSlashedAt\",\"type\":\"uint64\"}],\"internalType\":\"structProviderRegistry.Provider\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"reason\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"internalType\":\"structProviderRegistry.SlashReport\",\"name\":\"r\",\"type\":\"tuple\"}],\"name\":\"hashSlashReport\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"isActive\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isAttestor\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"minStake\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"nodeIdHash\",\"type\":\"bytes32\"}],\"name\":\"providerOfNode\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"nodeIdHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"attestor\",\"type\":\"address\"}],\"name\":\"removeAttestor\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"renounceOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"repairFund\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"repairShareBps\",\"outputs\":[{\"internalType\":\"uint16\",\"name\":\"\",\"type\":\"uint16\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"requestUnbond\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address[]\",\"name\":\"remove\",\"type\":\"address[]\"},{\"internalType\":\"address[]\",\"name\":\"add\",\"type\":\"address[]\"},{\"internalType\":\"uint32\",\"name\":\"threshold_\",\"type\":\"uint32\"}],\"name\":\"rotateAttestors\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"name\":\"setConsumerShareBps\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"fund\",\"type\":\"address\"},{\"internalType\":\"uint16\",\"name\":\"bps\",\"type\":\"uint16\"}],\"name\":\"setRepairFund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint32\",\"name\":\"threshold_\",\"type\":\"uint32\"}],\"name\":\"setThreshold\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"treasury_\",\"type\":\"address\"}],\"name\":\"setTreasury\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"reason\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"evidenceHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"epoch\",\"type\":\"uint64\"}],\"internalType\":\"structProviderRegistry.SlashReport\",\"name\":\"report\",\"type\":\"tuple\"},{\"internalType\":\"bytes[]\",\"name\":\"signatures\",\"type\":\"bytes[]\"}],\"name\":\"slash\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"stake\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"threshold\",\"outputs\":[{\"internalType\":\"uint32\",\"name\":\"\",\"type\":\"uint32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"treasury\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"unbondDelay\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"withdrawUnbonded\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "275d768273f73d0b6b6577f082e3afb089",
	Bin: "0x6101c0604052348015610010575f5ffd5b5060405161322e38038061322e83398101604081905261002f916107f7565b604080518082018252601581527f646563322050726f766964657252656769737472790000000000000000000000602080830191909152825180840190935260018352603160f81b90830152908b6001600160a01b0381166100ab57604051631e4fbdf760e01b81525f60048201526024015b60405180910390fd5b6100b4816102a3565b506100be826102f2565b610120526100cb816102f2565b61014052815160208084019190912060e052815190820120610100524660a05261015760e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526001600160a01b038916158061017d57506001600160a01b038616155b1561019b5760405163d92e233d60e01b815260040160405180910390fd5b875f036101bb57604051631f2a200560e01b815260040160405180910390fd5b6001600160a01b038916610160526101808890526001600160401b0387166101a0526101e68661032f565b6101ef856103ab565b6101f98484610433565b5f5b82518110156102345761022c838281518110610219576102196108d1565b602002602001015161052360201b60201c565b6001016101fb565b5061023e8161063b565b60038054600160601b600160a01b0319166c01000000000000000000000000179055604051600181527fdb3558259e039d7e50e816b9dcce30fb114d8a9c86eca5ab14b60194d6945d3f9060200160405180910390a150505050505050505050610989565b5f80546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b5f5f829050601f8151111561031c578260405163305a27a960e01b81526004016100a291906108e5565b80516103278261091a565b179392505050565b6001600160a01b0381166103565760405163d92e233d60e01b815260040160405180910390fd5b600480546001600160a01b0319166001600160a01b0383169081179091556040519081527f3c864541ef71378c6229510ed90f376565ee42d9c5e0904a984a9e863e6db44f906020015b60405180910390a150565b600354612710906103ca9062010000900461ffff908116908416610954565b11156103ef576040516313573bbd60e31b815261ffff821660048201526024016100a2565b6003805461ffff191661ffff83169081179091556040519081527f6cb4a483307d1f2b51f7180b0daaee6f4cddacfaabbdd71e582d915fe9ade05d906020016103a0565b61ffff81161580159061044d57506001600160a01b038216155b1561046b5760405163d92e233d60e01b815260040160405180910390fd5b600354612710906104849061ffff908116908416610954565b11156104a9576040516313573bbd60e31b815261ffff821660048201526024016100a2565b600580546001600160a01b0319166001600160a01b0384169081179091556003805463ffff000019166201000061ffff8516908102919091179091556040805192835260208301919091527fcd2299ebb4a08e6470881221206688b592f9e241ec28a4d268d3ae941e5feea8910160405180910390a15050565b6001600160a01b03811661054a5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0381165f9081526006602052604090205460ff161561058e5760405163d5ac182160e01b81526001600160a01b03821660048201526024016100a2565b6001600160a01b0381165f908152600660205260409020805460ff19166001908117909155600380546004906105d490849063ffffffff6401000000009091041661096d565b92506101000a81548163ffffffff021916908363ffffffff160217905550806001600160a01b03167fef9cbc9f13d4031b15fee4cd02650f88f0bab30554090b9a72806036931cc3936001604051610630911515815260200190565b60405180910390a250565b63ffffffff81161580610661575060035463ffffffff6401000000009091048116908216115b1561069c576003546040516303fd934560e11b815263ffffffff838116600483015264010000000090920490911660248201526044016100a2565b6003805463ffffffff60401b19166801000000000000000063ffffffff8416908102919091179091556040519081527fab9e934c4c385fe1d9531a45a1c293cc6ad8cc41a8e6e0fde5b574ee95a8dacc906020016103a0565b6001600160a01b0381168114610709575f5ffd5b50565b8051610717816106f5565b919050565b805161ffff81168114610717575f5ffd5b634e487b7160e01b5f52604160045260245ffd5b5f82601f830112610750575f5ffd5b81516001600160401b038111156107695761076961072d565b604051600582901b90603f8201601f191681016001600160401b03811182821017156107975761079761072d565b6040529182526020818501810192908101868411156107b4575f5ffd5b6020860192505b838310156107da576107cc8361070c565b8152602092830192016107bb565b5095945050505050565b805163ffffffff81168114610717575f5ffd5b5f5f5f5f5f5f5f5f5f5f6101408b8d031215610811575f5ffd5b8a5161081c816106f5565b60208c0151909a5061082d816106f5565b60408c015160608d0151919a5098506001600160401b0381168114610850575f5ffd5b965061085e60808c0161070c565b955061086c60a08c0161071c565b945061087a60c08c0161070c565b935061088860e08c0161071c565b6101008c01519093506001600160401b038111156108a4575f5ffd5b6108b08d828e01610741565b9250506108c06101208c016107e4565b90509295989b9194979a5092959850565b634e487b7160e01b5f52603260045260245ffd5b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b8051602080830151919081101561093a575f198160200360031b1b821691505b50919050565b634e487b7160e01b5f52601160045260245ffd5b8082018082111561096757610967610940565b92915050565b63ffffffff818116838216019081111561096757610967610940565b60805160a05160c05160e05161010051610120516101405161016051610180516101a0516127f0610a3e5f395f8181610317015261075801525f81816102b601528181610b4e01528181611352015261138e01525f818161061b015281816109aa01528181610c5401528181610f4c01528181610fe20152818161103a015261143f01525f6117bd01525f61178d01525f611fa601525f611f7e01525f611ed901525f611f0301525f611f2d01526127f05ff3fe608060405234801561000f575f5ffd5b50600436106101fd575f3560e01c8063755b9fec11610114578063a694fc3a116100a9578063f0dc0c2011610079578063f0dc0c20146105dd578063f0f44260146105f0578063f2fde38b14610603578063fc0c546a14610616578063ff3617f81461063d575f5ffd5b8063a694fc3a14610591578063b3912023146105a4578063cdd4b2dd146105b7578063e0cae635146105ca575f5ffd5b80638da5cb5b116100e45780638da5cb5b146105485780639176825b146105585780639f8a13d71461056b578063a692fd941461057e575f5ffd5b8063755b9fec146104f85780638175872d1461050b578063833422ab1461051f57806384b0196e1461052d575f5ffd5b806355f21eb71161019557806366289c1c1161016557806366289c1c1461049a5780636693f253146104ad5780636ca47003146104c05780636e373bef146104e8578063715018a6146104f0575f5ffd5b806355f21eb71461034e5780635c2af2aa1461044957806361d027b314610470578063631255f214610483575f5ffd5b8063375b3c0a116101d0578063375b3c0a146102b157806342cde4e8146102e657806351127fca1461031257806354f63b1414610339575f5ffd5b80631b55186a14610201578063249d39e9146102315780632e2f4e241461024d578063323229701461027f575b5f5ffd5b600554610214906001600160a01b031681565b6040516001600160a01b0390911681526020015b60405180910390f35b61023a61271081565b60405161ffff9091168152602001610228565b61026f61025b366004612291565b60066020525f908152604090205460ff1681565b6040519015158152602001610228565b60035461029990600160601b90046001600160401b031681565b6040516001600160401b039091168152602001610228565b6102d87f000000000000000000000000000000000000000000000000000000000000000081565b604051908152602001610228565b6003546102fd90600160401b900463ffffffff1681565b60405163ffffffff9091168152602001610228565b6102997f000000000000000000000000000000000000000000000000000000000000000081565b61034c6103473660046122aa565b610650565b005b61043c61035c366004612291565b60408051610100810182525f80825260208201819052918101829052606081018290526080810182905260a0810182905260c0810182905260e0810191909152506001600160a01b03165f908152600760209081526040918290208251610100810184528154815260018201546001600160801b0380821694830194909452600160801b9081900490931693810193909352600201546001600160401b03808216606085015263ffffffff600160401b830481166080860152600160601b83041660a0850152918104821660c0840152600160c01b90041660e082015290565b60405161022891906122c1565b6102d87fd6bc3900d05c81c84f6ccd5b72bcd94b417defa4521645c7b24101afa581e1a281565b600454610214906001600160a01b031681565b6003546102fd90600160201b900463ffffffff1681565b61034c6104a8366004612291565b6107e7565b61034c6104bb366004612385565b6108b2565b6102146104ce3660046122aa565b60086020525f90815260409020546001600160a01b031681565b61034c6108ce565b61034c6109dd565b61034c6105063660046123af565b6109ee565b60035461023a9062010000900461ffff1681565b60035461023a9061ffff1681565b6105356109ff565b60405161022897969594939291906123f6565b5f546001600160a01b0316610214565b6102d86105663660046124a3565b610a41565b61026f610579366004612291565b610b25565b61034c61058c3660046124be565b610b82565b61034c61059f3660046122aa565b610b98565b61034c6105b2366004612291565b610c86565b61034c6105c5366004612536565b610cf2565b61034c6105d8366004612291565b611077565b61034c6105eb366004612587565b611088565b61034c6105fe366004612291565b611267565b61034c610611366004612291565b611278565b6102147f000000000000000000000000000000000000000000000000000000000000000081565b61034c61064b366004612605565b6112b2565b805f0361067057604051631f2a200560e01b815260040160405180910390fd5b5f61067a33611471565b60018101549091506001600160801b03168211156106c85760018101546040516322df051360e11b8152600481018490526001600160801b0390911660248201526044015b60405180910390fd5b6001810180548391905f906106e79084906001600160801b0316612639565b92506101000a8154816001600160801b0302191690836001600160801b03160217905550818160010160108282829054906101000a90046001600160801b03166107319190612658565b92506101000a8154816001600160801b0302191690836001600160801b031602179055505f7f0000000000000000000000000000000000000000000000000000000000000000426107829190612677565b60028301805467ffffffffffffffff19166001600160401b03831690811790915560408051868152602081019290925291925033917fac526a10172f0bbd1328fce8b1172f31af97437a814307d519c9d755b39efa8c910160405180910390a2505050565b335f9081526006602052604090205460ff1661081857604051636ae28ec960e01b81523360048201526024016106bf565b5f61082282611471565b60028101549091505f9061084490600160601b900463ffffffff166001612696565b60028301805463ffffffff60601b1916600160601b63ffffffff84169081029190911790915560405190815290915033906001600160a01b038516907f095de2bf704fb800324c7e9fb936023e13fbe6d42075eb1da86047ead87cfc5d9060200160405180910390a3505050565b6108ba6114b7565b6108c3816114e3565b6108cb61159d565b50565b6108d661161b565b5f6108e033611471565b6001810154909150600160801b90046001600160801b03165f8190036109195760405163098ae75d60e21b815260040160405180910390fd5b60028201546001600160401b031642101561095757600282015460405162bdeb7960e81b81526001600160401b0390911660048201526024016106bf565b6001820180546001600160801b0316905560405181815233907fd24dbf5e9299ce53c3aa9f7227ff1cc8441c2faae04509aa370ca3703385d6b49060200160405180910390a26109d16001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163383611650565b50506109db611685565b565b6109e56114b7565b6109db5f6116af565b6109f66114b7565b6108cb816116fe565b5f6060805f5f5f6060610a10611786565b610a186117b6565b604080515f80825260208201909252600f60f81b9b939a50919850469750309650945092509050565b5f610b1f7fd6bc3900d05c81c84f6ccd5b72bcd94b417defa4521645c7b24101afa581e1a2610a736020850185612291565b610a836040860160208701612291565b60408601356060870135608088013560a089013560c08a0135610aad6101008c0160e08d016126b2565b60408051602081019a909a526001600160a01b03988916908a0152969095166060880152608087019390935260a086019190915260c085015260e08401526101008301526001600160401b031661012082015261014001604051602081830303815290604052805190602001206117e1565b92915050565b6001600160a01b0381165f908152600760205260408120805415801590610b7b575060018101547f00000000000000000000000000000000000000000000000000000000000000006001600160801b0390911610155b9392505050565b610b8a6114b7565b610b94828261180d565b5050565b610ba061161b565b805f03610bc057604051631f2a200560e01b815260040160405180910390fd5b5f610bca33611471565b60018101549091505f90610be89084906001600160801b0316612658565b6001830180546001600160801b0319166001600160801b03831690811790915560408051868152602081019290925291925033917f1449c6dd7851abc30abf37f57715f492010519147cc2652fbc38202c18a6ee90910160405180910390a2610c7c6001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163330866118fd565b50506108cb611685565b610c8e6114b7565b610c9781611939565b60035463ffffffff600160401b82048116600160201b9092041610156108c3576003546040516303fd934560e11b815263ffffffff600160401b830481166004830152600160201b90920490911660248201526044016106bf565b610cfa61161b565b8260c00135421115610d255760405163017f0c2160e61b815260c084013560048201526024016106bf565b600354600160601b90046001600160401b0316610d49610100850160e086016126b2565b6001600160401b031614610da757600354600160601b90046001600160401b0316610d7b610100850160e086016126b2565b604051636742e21160e11b81526001600160401b039283166004820152911660248201526044016106bf565b5f610dbd610db86020860186612291565b611471565b6002810154909150600160801b90046001600160401b031660a08501358114610e0e576040516306427aeb60e01b81526001600160401b038216600482015260a086013560248201526044016106bf565b84608001355f03610e3257604051631f2a200560e01b815260040160405180910390fd5b610e45610e3e86610a41565b8585611a24565b5f610e5583876080013584611b29565b90505f610e686040880160208901612291565b90505f6001600160a01b03821615610e9e5760035461271090610e8f9061ffff16856126d8565b610e9991906126ef565b610ea0565b5f5b6003549091505f9061271090610ec09062010000900461ffff16866126d8565b610eca91906126ef565b905060408901356001600160a01b038416610ee860208c018c612291565b604080516060808f01358252602082018a90529181018790526001600160a01b0392909216917f2fa6f3a798974c6f7ca43c255de9efaf697a9c8a2ae4c12b64ead39597097423910160405180910390a48115610f7357610f736001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000168484611650565b801561100b576005546001600160a01b031680610f9360208c018c612291565b6001600160a01b03167f3cac2a4cb14ed4426b70e5a4748b631854be881a7a07dcb01cd9d99bbedd67a584604051610fcd91815260200190565b60405180910390a36110096001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000168284611650565b505b5f81611017848761270e565b611021919061270e565b9050801561106357600454611063906001600160a01b037f00000000000000000000000000000000000000000000000000000000000000008116911683611650565b50505050505050611072611685565b505050565b61107f6114b7565b6108c381611c66565b6110906114b7565b5f61109b8386612721565b905060015b818110156111c9575f8682106110e55785856110bc898561270e565b8181106110cb576110cb612734565b90506020020160208101906110e09190612291565b61110c565b8787838181106110f7576110f7612734565b905060200201602081019061110c9190612291565b90505f5b828110156111bf5787811061115457868661112b8a8461270e565b81811061113a5761113a612734565b905060200201602081019061114f9190612291565b61117b565b88888281811061116657611166612734565b905060200201602081019061117b9190612291565b6001600160a01b0316826001600160a01b0316036111b75760405163c4e5be4360e01b81526001600160a01b03831660048201526024016106bf565b600101611110565b50506001016110a0565b505f5b8581101561120b576112038787838181106111e9576111e9612734565b90506020020160208101906111fe9190612291565b611939565b6001016111cc565b505f5b8381101561124d5761124585858381811061122b5761122b612734565b90506020020160208101906112409190612291565b611c66565b60010161120e565b50611257826114e3565b61125f61159d565b505050505050565b61126f6114b7565b6108cb81611d72565b6112806114b7565b6001600160a01b0381166112a957604051631e4fbdf760e01b81525f60048201526024016106bf565b6108cb816116af565b6112ba61161b565b816112d8576040516339d8414360e21b815260040160405180910390fd5b335f908152600760205260409020805415611308576040516345ed80e960e01b81523360048201526024016106bf565b5f838152600860205260409020546001600160a01b0316801561135057604051630a89d76360e31b8152600481018590526001600160a01b03821660248201526044016106bf565b7f00000000000000000000000000000000000000000000000000000000000000008310156113ba576040516378e030db60e01b8152600481018490527f000000000000000000000000000000000000000000000000000000000000000060248201526044016106bf565b8382556001820180546001600160801b0319166001600160801b0385161790555f848152600860209081526040918290208054336001600160a01b0319909116811790915591518581528692917fb7f299e98a5f1a10cac6f9de415eb1bcaa2a60a33cc22c24d2e334c8870ad26b910160405180910390a36114676001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163330866118fd565b5050610b94611685565b6001600160a01b0381165f90815260076020526040902080546114b25760405163bfc6c33760e01b81526001600160a01b03831660048201526024016106bf565b919050565b5f546001600160a01b031633146109db5760405163118cdaa760e01b81523360048201526024016106bf565b63ffffffff81161580611508575060035463ffffffff600160201b9091048116908216115b15611542576003546040516303fd934560e11b815263ffffffff8381166004830152600160201b90920490911660248201526044016106bf565b6003805463ffffffff60401b1916600160401b63ffffffff8416908102919091179091556040519081527fab9e934c4c385fe1d9531a45a1c293cc6ad8cc41a8e6e0fde5b574ee95a8dacc906020015b60405180910390a150565b6003545f906115bd90600160601b90046001600160401b03166001612677565b6003805467ffffffffffffffff60601b1916600160601b6001600160401b038416908102919091179091556040519081529091507fdb3558259e039d7e50e816b9dcce30fb114d8a9c86eca5ab14b60194d6945d3f90602001611592565b611623611de7565b6109db60017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90611e27565b61165d8383836001611e2e565b61107257604051635274afe760e01b81526001600160a01b03841660048201526024016106bf565b6109db5f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f0061164a565b5f80546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b6003546127109061171d9062010000900461ffff908116908416612721565b1115611742576040516313573bbd60e31b815261ffff821660048201526024016106bf565b6003805461ffff191661ffff83169081179091556040519081527f6cb4a483307d1f2b51f7180b0daaee6f4cddacfaabbdd71e582d915fe9ade05d90602001611592565b60606117b17f0000000000000000000000000000000000000000000000000000000000000000611e90565b905090565b60606117b17f0000000000000000000000000000000000000000000000000000000000000000611e90565b5f610b1f6117ed611ecd565b8360405161190160f01b8152600281019290925260228201526042902090565b61ffff81161580159061182757506001600160a01b038216155b156118455760405163d92e233d60e01b815260040160405180910390fd5b6003546127109061185e9061ffff908116908416612721565b1115611883576040516313573bbd60e31b815261ffff821660048201526024016106bf565b600580546001600160a01b0319166001600160a01b0384169081179091556003805463ffff000019166201000061ffff8516908102919091179091556040805192835260208301919091527fcd2299ebb4a08e6470881221206688b592f9e241ec28a4d268d3ae941e5feea8910160405180910390a15050565b61190b848484846001611ff6565b61193357604051635274afe760e01b81526001600160a01b03851660048201526024016106bf565b50505050565b6001600160a01b0381165f9081526006602052604090205460ff1661197c5760405163d5bd637f60e01b81526001600160a01b03821660048201526024016106bf565b6001600160a01b0381165f908152600660205260409020805460ff1916905560038054600191906004906119be908490600160201b900463ffffffff16612748565b92506101000a81548163ffffffff021916908363ffffffff160217905550806001600160a01b03167fef9cbc9f13d4031b15fee4cd02650f88f0bab30554090b9a72806036931cc3935f604051611a19911515815260200190565b60405180910390a250565b600354600160401b900463ffffffff1680821015611a6457604051636708b86560e11b81526004810183905263ffffffff821660248201526044016106bf565b5f5f5b8381101561125f575f611a9d87878785818110611a8657611a86612734565b9050602002810190611a989190612764565b612063565b9050826001600160a01b0316816001600160a01b031611611adc57604051631271cb0760e01b81526001600160a01b03821660048201526024016106bf565b6001600160a01b0381165f9081526006602052604090205460ff16611b1f5760405163122876bf60e01b81526001600160a01b03821660048201526024016106bf565b9150600101611a67565b60018301545f906001600160801b0380821691600160801b90041682828610611b5b57826001600160801b0316611b5d565b855b90505f611b6a828861270e565b9050826001600160801b0316811115611b8957506001600160801b0382165b611b938285612639565b611b9d8285612639565b6001600160801b0319600160801b6001600160801b0392831602169116176001898101919091556002890154611be191600160401b90910463ffffffff1690612696565b611bec876001612677565b60028a01805463ffffffff909316600160401b0263ffffffff60401b196001600160401b03938416600160801b0267ffffffffffffffff60801b194295909516600160c01b02949094166001600160801b03909516949094179290921792909216179055611c5a8183612721565b98975050505050505050565b6001600160a01b038116611c8d5760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0381165f9081526006602052604090205460ff1615611cd15760405163d5ac182160e01b81526001600160a01b03821660048201526024016106bf565b6001600160a01b0381165f908152600660205260409020805460ff1916600190811790915560038054600490611d1690849063ffffffff600160201b90910416612696565b92506101000a81548163ffffffff021916908363ffffffff160217905550806001600160a01b03167fef9cbc9f13d4031b15fee4cd02650f88f0bab30554090b9a72806036931cc3936001604051611a19911515815260200190565b6001600160a01b038116611d995760405163d92e233d60e01b815260040160405180910390fd5b600480546001600160a01b0319166001600160a01b0383169081179091556040519081527f3c864541ef71378c6229510ed90f376565ee42d9c5e0904a984a9e863e6db44f90602001611592565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c156109db57604051633ee5aeb560e01b815260040160405180910390fd5b80825d5050565b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f51148316611e84578383151615611e78573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b60605f611e9c8361208d565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f306001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016148015611f2557507f000000000000000000000000000000000000000000000000000000000000000046145b15611f4f57507f000000000000000000000000000000000000000000000000000000000000000090565b6117b1604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f51148316612052578383151615612046573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f5f5f5f6120728787876120b4565b92509250925061208282826120fb565b509095945050505050565b5f60ff8216601f811115610b1f57604051632cd44ac360e21b815260040160405180910390fd5b5f808060418490036120e8578435602086013560408701355f1a6120da898285856121b3565b9550955095505050506120f2565b505f915060029050825b93509350939050565b5f82600381111561210e5761210e6127a6565b03612117575050565b600182600381111561212b5761212b6127a6565b036121495760405163f645eedf60e01b815260040160405180910390fd5b600282600381111561215d5761215d6127a6565b0361217e5760405163fce698f760e01b8152600481018290526024016106bf565b6003826003811115612192576121926127a6565b03610b94576040516335e2f38360e21b8152600481018290526024016106bf565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08411156121ec57505f91506003905082612271565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa15801561223d573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b03811661226857505f925060019150829050612271565b92505f91508190505b9450945094915050565b80356001600160a01b03811681146114b2575f5ffd5b5f602082840312156122a1575f5ffd5b610b7b8261227b565b5f602082840312156122ba575f5ffd5b5035919050565b5f61010082019050825182526001600160801b0360208401511660208301526001600160801b0360408401511660408301526001600160401b036060840151166060830152608083015161231d608084018263ffffffff169052565b5060a083015161233560a084018263ffffffff169052565b5060c083015161235060c08401826001600160401b03169052565b5060e083015161236b60e08401826001600160401b03169052565b5092915050565b803563ffffffff811681146114b2575f5ffd5b5f60208284031215612395575f5ffd5b610b7b82612372565b803561ffff811681146114b2575f5ffd5b5f602082840312156123bf575f5ffd5b610b7b8261239e565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b60ff60f81b8816815260e060208201525f61241460e08301896123c8565b828103604084015261242681896123c8565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b8181101561247b57835183526020938401939092019160010161245d565b50909b9a5050505050505050505050565b5f610100828403121561249d575f5ffd5b50919050565b5f61010082840312156124b4575f5ffd5b610b7b838361248c565b5f5f604083850312156124cf575f5ffd5b6124d88361227b565b91506124e66020840161239e565b90509250929050565b5f5f83601f8401126124ff575f5ffd5b5081356001600160401b03811115612515575f5ffd5b6020830191508360208260051b850101111561252f575f5ffd5b9250929050565b5f5f5f6101208486031215612549575f5ffd5b612553858561248c565b92506101008401356001600160401b0381111561256e575f5ffd5b61257a868287016124ef565b9497909650939450505050565b5f5f5f5f5f6060868803121561259b575f5ffd5b85356001600160401b038111156125b0575f5ffd5b6125bc888289016124ef565b90965094505060208601356001600160401b038111156125da575f5ffd5b6125e6888289016124ef565b90945092506125f9905060408701612372565b90509295509295909350565b5f5f60408385031215612616575f5ffd5b50508035926020909101359150565b634e487b7160e01b5f52601160045260245ffd5b6001600160801b038281168282160390811115610b1f57610b1f612625565b6001600160801b038181168382160190811115610b1f57610b1f612625565b6001600160401b038181168382160190811115610b1f57610b1f612625565b63ffffffff8181168382160190811115610b1f57610b1f612625565b5f602082840312156126c2575f5ffd5b81356001600160401b0381168114610b7b575f5ffd5b8082028115828204841417610b1f57610b1f612625565b5f8261270957634e487b7160e01b5f52601260045260245ffd5b500490565b81810381811115610b1f57610b1f612625565b80820180821115610b1f57610b1f612625565b634e487b7160e01b5f52603260045260245ffd5b63ffffffff8281168282160390811115610b1f57610b1f612625565b5f5f8335601e19843603018112612779575f5ffd5b8301803591506001600160401b03821115612792575f5ffd5b60200191503681900382131561252f575f5ffd5b634e487b7160e01b5f52602160045260245ffdfea2646970667358221220d863d63df20816a9174f4dd1f3110c7d624c3673330f45d62c7c42a9be6807aa64736f6c63430008250033",
}

// ProviderRegistry is an auto generated Go binding around an Ethereum contract.
type ProviderRegistry struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *ProviderRegistry) GetABI() abi.ABI {
	return c.abi
}

// NewProviderRegistry creates a new instance of ProviderRegistry.
func NewProviderRegistry() *ProviderRegistry {
	parsed, err := ProviderRegistryMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &ProviderRegistry{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *ProviderRegistry) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address owner_, address token_, uint256 minStake_, uint64 unbondDelay_, address treasury_, uint16 consumerShareBps_, address repairFund_, uint16 repairShareBps_, address[] attestors, uint32 threshold_) returns()
func (providerRegistry *ProviderRegistry) PackConstructor(owner_ common.Address, token_ common.Address, minStake_ *big.Int, unbondDelay_ uint64, treasury_ common.Address, consumerShareBps_ uint16, repairFund_ common.Address, repairShareBps_ uint16, attestors []common.Address, threshold_ uint32) []byte {
	enc, err := providerRegistry.abi.Pack("", owner_, token_, minStake_, unbondDelay_, treasury_, consumerShareBps_, repairFund_, repairShareBps_, attestors, threshold_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackBPS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x249d39e9.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function BPS() view returns(uint16)
func (providerRegistry *ProviderRegistry) PackBPS() []byte {
	enc, err := providerRegistry.abi.Pack("BPS")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBPS is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x249d39e9.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function BPS() view returns(uint16)
func (providerRegistry *ProviderRegistry) TryPackBPS() ([]byte, error) {
	return providerRegistry.abi.Pack("BPS")
}

// UnpackBPS is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x249d39e9.
//
// Solidity: function BPS() view returns(uint16)
func (providerRegistry *ProviderRegistry) UnpackBPS(data []byte) (uint16, error) {
	out, err := providerRegistry.abi.Unpack("BPS", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackSLASHTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c2af2aa.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function SLASH_TYPEHASH() view returns(bytes32)
func (providerRegistry *ProviderRegistry) PackSLASHTYPEHASH() []byte {
	enc, err := providerRegistry.abi.Pack("SLASH_TYPEHASH")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSLASHTYPEHASH is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x5c2af2aa.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function SLASH_TYPEHASH() view returns(bytes32)
func (providerRegistry *ProviderRegistry) TryPackSLASHTYPEHASH() ([]byte, error) {
	return providerRegistry.abi.Pack("SLASH_TYPEHASH")
}

// UnpackSLASHTYPEHASH is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x5c2af2aa.
//
// Solidity: function SLASH_TYPEHASH() view returns(bytes32)
func (providerRegistry *ProviderRegistry) UnpackSLASHTYPEHASH(data []byte) ([32]byte, error) {
	out, err := providerRegistry.abi.Unpack("SLASH_TYPEHASH", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAddAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe0cae635.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addAttestor(address attestor) returns()
func (providerRegistry *ProviderRegistry) PackAddAttestor(attestor common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("addAttestor", attestor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe0cae635.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addAttestor(address attestor) returns()
func (providerRegistry *ProviderRegistry) TryPackAddAttestor(attestor common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("addAttestor", attestor)
}

// PackAttestUptime is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x66289c1c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestUptime(address provider) returns()
func (providerRegistry *ProviderRegistry) PackAttestUptime(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("attestUptime", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestUptime is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x66289c1c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestUptime(address provider) returns()
func (providerRegistry *ProviderRegistry) TryPackAttestUptime(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("attestUptime", provider)
}

// PackAttestorCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631255f2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function attestorCount() view returns(uint32)
func (providerRegistry *ProviderRegistry) PackAttestorCount() []byte {
	enc, err := providerRegistry.abi.Pack("attestorCount")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAttestorCount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x631255f2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function attestorCount() view returns(uint32)
func (providerRegistry *ProviderRegistry) TryPackAttestorCount() ([]byte, error) {
	return providerRegistry.abi.Pack("attestorCount")
}

// UnpackAttestorCount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x631255f2.
//
// Solidity: function attestorCount() view returns(uint32)
func (providerRegistry *ProviderRegistry) UnpackAttestorCount(data []byte) (uint32, error) {
	out, err := providerRegistry.abi.Unpack("attestorCount", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackConfigEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32322970.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function configEpoch() view returns(uint64)
func (providerRegistry *ProviderRegistry) PackConfigEpoch() []byte {
	enc, err := providerRegistry.abi.Pack("configEpoch")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackConfigEpoch is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x32322970.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function configEpoch() view returns(uint64)
func (providerRegistry *ProviderRegistry) TryPackConfigEpoch() ([]byte, error) {
	return providerRegistry.abi.Pack("configEpoch")
}

// UnpackConfigEpoch is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x32322970.
//
// Solidity: function configEpoch() view returns(uint64)
func (providerRegistry *ProviderRegistry) UnpackConfigEpoch(data []byte) (uint64, error) {
	out, err := providerRegistry.abi.Unpack("configEpoch", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackConsumerShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x833422ab.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function consumerShareBps() view returns(uint16)
func (providerRegistry *ProviderRegistry) PackConsumerShareBps() []byte {
	enc, err := providerRegistry.abi.Pack("consumerShareBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackConsumerShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x833422ab.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function consumerShareBps() view returns(uint16)
func (providerRegistry *ProviderRegistry) TryPackConsumerShareBps() ([]byte, error) {
	return providerRegistry.abi.Pack("consumerShareBps")
}

// UnpackConsumerShareBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x833422ab.
//
// Solidity: function consumerShareBps() view returns(uint16)
func (providerRegistry *ProviderRegistry) UnpackConsumerShareBps(data []byte) (uint16, error) {
	out, err := providerRegistry.abi.Unpack("consumerShareBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (providerRegistry *ProviderRegistry) PackEip712Domain() []byte {
	enc, err := providerRegistry.abi.Pack("eip712Domain")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (providerRegistry *ProviderRegistry) TryPackEip712Domain() ([]byte, error) {
	return providerRegistry.abi.Pack("eip712Domain")
}

// Eip712DomainOutput serves as a container for the return parameters of contract
// method Eip712Domain.
type Eip712DomainOutput struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}

// UnpackEip712Domain is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (providerRegistry *ProviderRegistry) UnpackEip712Domain(data []byte) (Eip712DomainOutput, error) {
	out, err := providerRegistry.abi.Unpack("eip712Domain", data)
	outstruct := new(Eip712DomainOutput)
	if err != nil {
		return *outstruct, err
	}
	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = abi.ConvertType(out[3], new(big.Int)).(*big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)
	return *outstruct, nil
}

// PackGetProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x55f21eb7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getProvider(address provider) view returns((bytes32,uint128,uint128,uint64,uint32,uint32,uint64,uint64))
func (providerRegistry *ProviderRegistry) PackGetProvider(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("getProvider", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetProvider is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x55f21eb7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getProvider(address provider) view returns((bytes32,uint128,uint128,uint64,uint32,uint32,uint64,uint64))
func (providerRegistry *ProviderRegistry) TryPackGetProvider(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("getProvider", provider)
}

// UnpackGetProvider is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x55f21eb7.
//
// Solidity: function getProvider(address provider) view returns((bytes32,uint128,uint128,uint64,uint32,uint32,uint64,uint64))
func (providerRegistry *ProviderRegistry) UnpackGetProvider(data []byte) (ProviderRegistryProvider, error) {
	out, err := providerRegistry.abi.Unpack("getProvider", data)
	if err != nil {
		return *new(ProviderRegistryProvider), err
	}
	out0 := *abi.ConvertType(out[0], new(ProviderRegistryProvider)).(*ProviderRegistryProvider)
	return out0, nil
}

// PackHashSlashReport is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9176825b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hashSlashReport((address,address,bytes32,bytes32,uint256,uint256,uint256,uint64) r) view returns(bytes32)
func (providerRegistry *ProviderRegistry) PackHashSlashReport(r ProviderRegistrySlashReport) []byte {
	enc, err := providerRegistry.abi.Pack("hashSlashReport", r)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHashSlashReport is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9176825b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hashSlashReport((address,address,bytes32,bytes32,uint256,uint256,uint256,uint64) r) view returns(bytes32)
func (providerRegistry *ProviderRegistry) TryPackHashSlashReport(r ProviderRegistrySlashReport) ([]byte, error) {
	return providerRegistry.abi.Pack("hashSlashReport", r)
}

// UnpackHashSlashReport is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9176825b.
//
// Solidity: function hashSlashReport((address,address,bytes32,bytes32,uint256,uint256,uint256,uint64) r) view returns(bytes32)
func (providerRegistry *ProviderRegistry) UnpackHashSlashReport(data []byte) ([32]byte, error) {
	out, err := providerRegistry.abi.Unpack("hashSlashReport", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackIsActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9f8a13d7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isActive(address provider) view returns(bool)
func (providerRegistry *ProviderRegistry) PackIsActive(provider common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("isActive", provider)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsActive is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9f8a13d7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isActive(address provider) view returns(bool)
func (providerRegistry *ProviderRegistry) TryPackIsActive(provider common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("isActive", provider)
}

// UnpackIsActive is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9f8a13d7.
//
// Solidity: function isActive(address provider) view returns(bool)
func (providerRegistry *ProviderRegistry) UnpackIsActive(data []byte) (bool, error) {
	out, err := providerRegistry.abi.Unpack("isActive", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e2f4e24.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isAttestor(address ) view returns(bool)
func (providerRegistry *ProviderRegistry) PackIsAttestor(arg0 common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("isAttestor", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e2f4e24.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isAttestor(address ) view returns(bool)
func (providerRegistry *ProviderRegistry) TryPackIsAttestor(arg0 common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("isAttestor", arg0)
}

// UnpackIsAttestor is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2e2f4e24.
//
// Solidity: function isAttestor(address ) view returns(bool)
func (providerRegistry *ProviderRegistry) UnpackIsAttestor(data []byte) (bool, error) {
	out, err := providerRegistry.abi.Unpack("isAttestor", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function minStake() view returns(uint256)
func (providerRegistry *ProviderRegistry) PackMinStake() []byte {
	enc, err := providerRegistry.abi.Pack("minStake")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMinStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x375b3c0a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function minStake() view returns(uint256)
func (providerRegistry *ProviderRegistry) TryPackMinStake() ([]byte, error) {
	return providerRegistry.abi.Pack("minStake")
}

// UnpackMinStake is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x375b3c0a.
//
// Solidity: function minStake() view returns(uint256)
func (providerRegistry *ProviderRegistry) UnpackMinStake(data []byte) (*big.Int, error) {
	out, err := providerRegistry.abi.Unpack("minStake", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (providerRegistry *ProviderRegistry) PackOwner() []byte {
	enc, err := providerRegistry.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (providerRegistry *ProviderRegistry) TryPackOwner() ([]byte, error) {
	return providerRegistry.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (providerRegistry *ProviderRegistry) UnpackOwner(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackProviderOfNode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6ca47003.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function providerOfNode(bytes32 nodeIdHash) view returns(address provider)
func (providerRegistry *ProviderRegistry) PackProviderOfNode(nodeIdHash [32]byte) []byte {
	enc, err := providerRegistry.abi.Pack("providerOfNode", nodeIdHash)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProviderOfNode is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6ca47003.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function providerOfNode(bytes32 nodeIdHash) view returns(address provider)
func (providerRegistry *ProviderRegistry) TryPackProviderOfNode(nodeIdHash [32]byte) ([]byte, error) {
	return providerRegistry.abi.Pack("providerOfNode", nodeIdHash)
}

// UnpackProviderOfNode is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x6ca47003.
//
// Solidity: function providerOfNode(bytes32 nodeIdHash) view returns(address provider)
func (providerRegistry *ProviderRegistry) UnpackProviderOfNode(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("providerOfNode", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xff3617f8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function register(bytes32 nodeIdHash, uint256 amount) returns()
func (providerRegistry *ProviderRegistry) PackRegister(nodeIdHash [32]byte, amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("register", nodeIdHash, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRegister is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xff3617f8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function register(bytes32 nodeIdHash, uint256 amount) returns()
func (providerRegistry *ProviderRegistry) TryPackRegister(nodeIdHash [32]byte, amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("register", nodeIdHash, amount)
}

// PackRemoveAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3912023.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeAttestor(address attestor) returns()
func (providerRegistry *ProviderRegistry) PackRemoveAttestor(attestor common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("removeAttestor", attestor)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveAttestor is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb3912023.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeAttestor(address attestor) returns()
func (providerRegistry *ProviderRegistry) TryPackRemoveAttestor(attestor common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("removeAttestor", attestor)
}

// PackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceOwnership() returns()
func (providerRegistry *ProviderRegistry) PackRenounceOwnership() []byte {
	enc, err := providerRegistry.abi.Pack("renounceOwnership")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceOwnership() returns()
func (providerRegistry *ProviderRegistry) TryPackRenounceOwnership() ([]byte, error) {
	return providerRegistry.abi.Pack("renounceOwnership")
}

// PackRepairFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b55186a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function repairFund() view returns(address)
func (providerRegistry *ProviderRegistry) PackRepairFund() []byte {
	enc, err := providerRegistry.abi.Pack("repairFund")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRepairFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1b55186a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function repairFund() view returns(address)
func (providerRegistry *ProviderRegistry) TryPackRepairFund() ([]byte, error) {
	return providerRegistry.abi.Pack("repairFund")
}

// UnpackRepairFund is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1b55186a.
//
// Solidity: function repairFund() view returns(address)
func (providerRegistry *ProviderRegistry) UnpackRepairFund(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("repairFund", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRepairShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8175872d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function repairShareBps() view returns(uint16)
func (providerRegistry *ProviderRegistry) PackRepairShareBps() []byte {
	enc, err := providerRegistry.abi.Pack("repairShareBps")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRepairShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8175872d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function repairShareBps() view returns(uint16)
func (providerRegistry *ProviderRegistry) TryPackRepairShareBps() ([]byte, error) {
	return providerRegistry.abi.Pack("repairShareBps")
}

// UnpackRepairShareBps is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8175872d.
//
// Solidity: function repairShareBps() view returns(uint16)
func (providerRegistry *ProviderRegistry) UnpackRepairShareBps(data []byte) (uint16, error) {
	out, err := providerRegistry.abi.Unpack("repairShareBps", data)
	if err != nil {
		return *new(uint16), err
	}
	out0 := *abi.ConvertType(out[0], new(uint16)).(*uint16)
	return out0, nil
}

// PackRequestUnbond is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54f63b14.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function requestUnbond(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) PackRequestUnbond(amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("requestUnbond", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRequestUnbond is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x54f63b14.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function requestUnbond(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) TryPackRequestUnbond(amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("requestUnbond", amount)
}

// PackRotateAttestors is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0dc0c20.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rotateAttestors(address[] remove, address[] add, uint32 threshold_) returns()
func (providerRegistry *ProviderRegistry) PackRotateAttestors(remove []common.Address, add []common.Address, threshold uint32) []byte {
	enc, err := providerRegistry.abi.Pack("rotateAttestors", remove, add, threshold)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRotateAttestors is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0dc0c20.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rotateAttestors(address[] remove, address[] add, uint32 threshold_) returns()
func (providerRegistry *ProviderRegistry) TryPackRotateAttestors(remove []common.Address, add []common.Address, threshold uint32) ([]byte, error) {
	return providerRegistry.abi.Pack("rotateAttestors", remove, add, threshold)
}

// PackSetConsumerShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x755b9fec.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setConsumerShareBps(uint16 bps) returns()
func (providerRegistry *ProviderRegistry) PackSetConsumerShareBps(bps uint16) []byte {
	enc, err := providerRegistry.abi.Pack("setConsumerShareBps", bps)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetConsumerShareBps is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x755b9fec.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setConsumerShareBps(uint16 bps) returns()
func (providerRegistry *ProviderRegistry) TryPackSetConsumerShareBps(bps uint16) ([]byte, error) {
	return providerRegistry.abi.Pack("setConsumerShareBps", bps)
}

// PackSetRepairFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa692fd94.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setRepairFund(address fund, uint16 bps) returns()
func (providerRegistry *ProviderRegistry) PackSetRepairFund(fund common.Address, bps uint16) []byte {
	enc, err := providerRegistry.abi.Pack("setRepairFund", fund, bps)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetRepairFund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa692fd94.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setRepairFund(address fund, uint16 bps) returns()
func (providerRegistry *ProviderRegistry) TryPackSetRepairFund(fund common.Address, bps uint16) ([]byte, error) {
	return providerRegistry.abi.Pack("setRepairFund", fund, bps)
}

// PackSetThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6693f253.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setThreshold(uint32 threshold_) returns()
func (providerRegistry *ProviderRegistry) PackSetThreshold(threshold uint32) []byte {
	enc, err := providerRegistry.abi.Pack("setThreshold", threshold)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6693f253.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setThreshold(uint32 threshold_) returns()
func (providerRegistry *ProviderRegistry) TryPackSetThreshold(threshold uint32) ([]byte, error) {
	return providerRegistry.abi.Pack("setThreshold", threshold)
}

// PackSetTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0f44260.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setTreasury(address treasury_) returns()
func (providerRegistry *ProviderRegistry) PackSetTreasury(treasury common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("setTreasury", treasury)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0f44260.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setTreasury(address treasury_) returns()
func (providerRegistry *ProviderRegistry) TryPackSetTreasury(treasury common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("setTreasury", treasury)
}

// PackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcdd4b2dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function slash((address,address,bytes32,bytes32,uint256,uint256,uint256,uint64) report, bytes[] signatures) returns()
func (providerRegistry *ProviderRegistry) PackSlash(report ProviderRegistrySlashReport, signatures [][]byte) []byte {
	enc, err := providerRegistry.abi.Pack("slash", report, signatures)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSlash is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcdd4b2dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function slash((address,address,bytes32,bytes32,uint256,uint256,uint256,uint64) report, bytes[] signatures) returns()
func (providerRegistry *ProviderRegistry) TryPackSlash(report ProviderRegistrySlashReport, signatures [][]byte) ([]byte, error) {
	return providerRegistry.abi.Pack("slash", report, signatures)
}

// PackStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa694fc3a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function stake(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) PackStake(amount *big.Int) []byte {
	enc, err := providerRegistry.abi.Pack("stake", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStake is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa694fc3a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function stake(uint256 amount) returns()
func (providerRegistry *ProviderRegistry) TryPackStake(amount *big.Int) ([]byte, error) {
	return providerRegistry.abi.Pack("stake", amount)
}

// PackThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cde4e8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function threshold() view returns(uint32)
func (providerRegistry *ProviderRegistry) PackThreshold() []byte {
	enc, err := providerRegistry.abi.Pack("threshold")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackThreshold is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42cde4e8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function threshold() view returns(uint32)
func (providerRegistry *ProviderRegistry) TryPackThreshold() ([]byte, error) {
	return providerRegistry.abi.Pack("threshold")
}

// UnpackThreshold is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42cde4e8.
//
// Solidity: function threshold() view returns(uint32)
func (providerRegistry *ProviderRegistry) UnpackThreshold(data []byte) (uint32, error) {
	out, err := providerRegistry.abi.Unpack("threshold", data)
	if err != nil {
		return *new(uint32), err
	}
	out0 := *abi.ConvertType(out[0], new(uint32)).(*uint32)
	return out0, nil
}

// PackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function token() view returns(address)
func (providerRegistry *ProviderRegistry) PackToken() []byte {
	enc, err := providerRegistry.abi.Pack("token")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function token() view returns(address)
func (providerRegistry *ProviderRegistry) TryPackToken() ([]byte, error) {
	return providerRegistry.abi.Pack("token")
}

// UnpackToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (providerRegistry *ProviderRegistry) UnpackToken(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("token", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (providerRegistry *ProviderRegistry) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := providerRegistry.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (providerRegistry *ProviderRegistry) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return providerRegistry.abi.Pack("transferOwnership", newOwner)
}

// PackTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61d027b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function treasury() view returns(address)
func (providerRegistry *ProviderRegistry) PackTreasury() []byte {
	enc, err := providerRegistry.abi.Pack("treasury")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTreasury is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x61d027b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function treasury() view returns(address)
func (providerRegistry *ProviderRegistry) TryPackTreasury() ([]byte, error) {
	return providerRegistry.abi.Pack("treasury")
}

// UnpackTreasury is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x61d027b3.
//
// Solidity: function treasury() view returns(address)
func (providerRegistry *ProviderRegistry) UnpackTreasury(data []byte) (common.Address, error) {
	out, err := providerRegistry.abi.Unpack("treasury", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackUnbondDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51127fca.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function unbondDelay() view returns(uint64)
func (providerRegistry *ProviderRegistry) PackUnbondDelay() []byte {
	enc, err := providerRegistry.abi.Pack("unbondDelay")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackUnbondDelay is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x51127fca.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function unbondDelay() view returns(uint64)
func (providerRegistry *ProviderRegistry) TryPackUnbondDelay() ([]byte, error) {
	return providerRegistry.abi.Pack("unbondDelay")
}

// UnpackUnbondDelay is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x51127fca.
//
// Solidity: function unbondDelay() view returns(uint64)
func (providerRegistry *ProviderRegistry) UnpackUnbondDelay(data []byte) (uint64, error) {
	out, err := providerRegistry.abi.Unpack("unbondDelay", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackWithdrawUnbonded is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6e373bef.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawUnbonded() returns()
func (providerRegistry *ProviderRegistry) PackWithdrawUnbonded() []byte {
	enc, err := providerRegistry.abi.Pack("withdrawUnbonded")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawUnbonded is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x6e373bef.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawUnbonded() returns()
func (providerRegistry *ProviderRegistry) TryPackWithdrawUnbonded() ([]byte, error) {
	return providerRegistry.abi.Pack("withdrawUnbonded")
}

// ProviderRegistryAttestorSet represents a AttestorSet event raised by the ProviderRegistry contract.
type ProviderRegistryAttestorSet struct {
	Attestor common.Address
	Enabled  bool
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryAttestorSetEventName = "AttestorSet"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryAttestorSet) ContractEventName() string {
	return ProviderRegistryAttestorSetEventName
}

// UnpackAttestorSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AttestorSet(address indexed attestor, bool enabled)
func (providerRegistry *ProviderRegistry) UnpackAttestorSetEvent(log *types.Log) (*ProviderRegistryAttestorSet, error) {
	event := "AttestorSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryAttestorSet)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryConsumerShareSet represents a ConsumerShareSet event raised by the ProviderRegistry contract.
type ProviderRegistryConsumerShareSet struct {
	Bps uint16
	Raw *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryConsumerShareSetEventName = "ConsumerShareSet"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryConsumerShareSet) ContractEventName() string {
	return ProviderRegistryConsumerShareSetEventName
}

// UnpackConsumerShareSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ConsumerShareSet(uint16 bps)
func (providerRegistry *ProviderRegistry) UnpackConsumerShareSetEvent(log *types.Log) (*ProviderRegistryConsumerShareSet, error) {
	event := "ConsumerShareSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryConsumerShareSet)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryEIP712DomainChanged represents a EIP712DomainChanged event raised by the ProviderRegistry contract.
type ProviderRegistryEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryEIP712DomainChanged) ContractEventName() string {
	return ProviderRegistryEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (providerRegistry *ProviderRegistry) UnpackEIP712DomainChangedEvent(log *types.Log) (*ProviderRegistryEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryEpochChanged represents a EpochChanged event raised by the ProviderRegistry contract.
type ProviderRegistryEpochChanged struct {
	Epoch uint64
	Raw   *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryEpochChangedEventName = "EpochChanged"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryEpochChanged) ContractEventName() string {
	return ProviderRegistryEpochChangedEventName
}

// UnpackEpochChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EpochChanged(uint64 epoch)
func (providerRegistry *ProviderRegistry) UnpackEpochChangedEvent(log *types.Log) (*ProviderRegistryEpochChanged, error) {
	event := "EpochChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryEpochChanged)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryOwnershipTransferred represents a OwnershipTransferred event raised by the ProviderRegistry contract.
type ProviderRegistryOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryOwnershipTransferred) ContractEventName() string {
	return ProviderRegistryOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (providerRegistry *ProviderRegistry) UnpackOwnershipTransferredEvent(log *types.Log) (*ProviderRegistryOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryRegistered represents a Registered event raised by the ProviderRegistry contract.
type ProviderRegistryRegistered struct {
	Provider   common.Address
	NodeIdHash [32]byte
	Stake      *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryRegisteredEventName = "Registered"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryRegistered) ContractEventName() string {
	return ProviderRegistryRegisteredEventName
}

// UnpackRegisteredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Registered(address indexed provider, bytes32 indexed nodeIdHash, uint256 stake)
func (providerRegistry *ProviderRegistry) UnpackRegisteredEvent(log *types.Log) (*ProviderRegistryRegistered, error) {
	event := "Registered"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryRegistered)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryRepairFundSet represents a RepairFundSet event raised by the ProviderRegistry contract.
type ProviderRegistryRepairFundSet struct {
	RepairFund common.Address
	Bps        uint16
	Raw        *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryRepairFundSetEventName = "RepairFundSet"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryRepairFundSet) ContractEventName() string {
	return ProviderRegistryRepairFundSetEventName
}

// UnpackRepairFundSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RepairFundSet(address repairFund, uint16 bps)
func (providerRegistry *ProviderRegistry) UnpackRepairFundSetEvent(log *types.Log) (*ProviderRegistryRepairFundSet, error) {
	event := "RepairFundSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryRepairFundSet)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryRepairFunded represents a RepairFunded event raised by the ProviderRegistry contract.
type ProviderRegistryRepairFunded struct {
	Provider   common.Address
	RepairFund common.Address
	Amount     *big.Int
	Raw        *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryRepairFundedEventName = "RepairFunded"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryRepairFunded) ContractEventName() string {
	return ProviderRegistryRepairFundedEventName
}

// UnpackRepairFundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RepairFunded(address indexed provider, address indexed repairFund, uint256 amount)
func (providerRegistry *ProviderRegistry) UnpackRepairFundedEvent(log *types.Log) (*ProviderRegistryRepairFunded, error) {
	event := "RepairFunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryRepairFunded)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistrySlashed represents a Slashed event raised by the ProviderRegistry contract.
type ProviderRegistrySlashed struct {
	Provider     common.Address
	Consumer     common.Address
	Reason       [32]byte
	EvidenceHash [32]byte
	Amount       *big.Int
	ToConsumer   *big.Int
	Raw          *types.Log // Blockchain specific contextual infos
}

const ProviderRegistrySlashedEventName = "Slashed"

// ContractEventName returns the user-defined event name.
func (ProviderRegistrySlashed) ContractEventName() string {
	return ProviderRegistrySlashedEventName
}

// UnpackSlashedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Slashed(address indexed provider, address indexed consumer, bytes32 indexed reason, bytes32 evidenceHash, uint256 amount, uint256 toConsumer)
func (providerRegistry *ProviderRegistry) UnpackSlashedEvent(log *types.Log) (*ProviderRegistrySlashed, error) {
	event := "Slashed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistrySlashed)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryStaked represents a Staked event raised by the ProviderRegistry contract.
type ProviderRegistryStaked struct {
	Provider common.Address
	Amount   *big.Int
	Stake    *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryStakedEventName = "Staked"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryStaked) ContractEventName() string {
	return ProviderRegistryStakedEventName
}

// UnpackStakedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Staked(address indexed provider, uint256 amount, uint256 stake)
func (providerRegistry *ProviderRegistry) UnpackStakedEvent(log *types.Log) (*ProviderRegistryStaked, error) {
	event := "Staked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryStaked)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryThresholdSet represents a ThresholdSet event raised by the ProviderRegistry contract.
type ProviderRegistryThresholdSet struct {
	Threshold uint32
	Raw       *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryThresholdSetEventName = "ThresholdSet"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryThresholdSet) ContractEventName() string {
	return ProviderRegistryThresholdSetEventName
}

// UnpackThresholdSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ThresholdSet(uint32 threshold)
func (providerRegistry *ProviderRegistry) UnpackThresholdSetEvent(log *types.Log) (*ProviderRegistryThresholdSet, error) {
	event := "ThresholdSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryThresholdSet)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryTreasurySet represents a TreasurySet event raised by the ProviderRegistry contract.
type ProviderRegistryTreasurySet struct {
	Treasury common.Address
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryTreasurySetEventName = "TreasurySet"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryTreasurySet) ContractEventName() string {
	return ProviderRegistryTreasurySetEventName
}

// UnpackTreasurySetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event TreasurySet(address treasury)
func (providerRegistry *ProviderRegistry) UnpackTreasurySetEvent(log *types.Log) (*ProviderRegistryTreasurySet, error) {
	event := "TreasurySet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryTreasurySet)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryUnbondRequested represents a UnbondRequested event raised by the ProviderRegistry contract.
type ProviderRegistryUnbondRequested struct {
	Provider     common.Address
	Amount       *big.Int
	UnbondableAt uint64
	Raw          *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryUnbondRequestedEventName = "UnbondRequested"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryUnbondRequested) ContractEventName() string {
	return ProviderRegistryUnbondRequestedEventName
}

// UnpackUnbondRequestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UnbondRequested(address indexed provider, uint256 amount, uint64 unbondableAt)
func (providerRegistry *ProviderRegistry) UnpackUnbondRequestedEvent(log *types.Log) (*ProviderRegistryUnbondRequested, error) {
	event := "UnbondRequested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryUnbondRequested)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryUnbonded represents a Unbonded event raised by the ProviderRegistry contract.
type ProviderRegistryUnbonded struct {
	Provider common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryUnbondedEventName = "Unbonded"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryUnbonded) ContractEventName() string {
	return ProviderRegistryUnbondedEventName
}

// UnpackUnbondedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Unbonded(address indexed provider, uint256 amount)
func (providerRegistry *ProviderRegistry) UnpackUnbondedEvent(log *types.Log) (*ProviderRegistryUnbonded, error) {
	event := "Unbonded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryUnbonded)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// ProviderRegistryUptimeAttested represents a UptimeAttested event raised by the ProviderRegistry contract.
type ProviderRegistryUptimeAttested struct {
	Provider common.Address
	Attestor common.Address
	Total    uint32
	Raw      *types.Log // Blockchain specific contextual infos
}

const ProviderRegistryUptimeAttestedEventName = "UptimeAttested"

// ContractEventName returns the user-defined event name.
func (ProviderRegistryUptimeAttested) ContractEventName() string {
	return ProviderRegistryUptimeAttestedEventName
}

// UnpackUptimeAttestedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event UptimeAttested(address indexed provider, address indexed attestor, uint32 total)
func (providerRegistry *ProviderRegistry) UnpackUptimeAttestedEvent(log *types.Log) (*ProviderRegistryUptimeAttested, error) {
	event := "UptimeAttested"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != providerRegistry.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(ProviderRegistryUptimeAttested)
	if len(log.Data) > 0 {
		if err := providerRegistry.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range providerRegistry.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (providerRegistry *ProviderRegistry) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["AlreadyRegistered"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["AttestorExists"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackAttestorExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["DuplicateAttestor"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackDuplicateAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ECDSAInvalidSignature"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackECDSAInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ECDSAInvalidSignatureLength"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackECDSAInvalidSignatureLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ECDSAInvalidSignatureS"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackECDSAInvalidSignatureSError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InsufficientStake"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInsufficientStakeError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InvalidNonce"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInvalidNonceError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InvalidShare"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInvalidShareError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["InvalidThreshold"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackInvalidThresholdError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NodeAlreadyRegistered"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNodeAlreadyRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NotAttestor"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNotAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NotEnoughSignatures"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNotEnoughSignaturesError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NotRegistered"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNotRegisteredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["NothingUnbonding"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackNothingUnbondingError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["OwnableInvalidOwner"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackOwnableInvalidOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["OwnableUnauthorizedAccount"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackOwnableUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ReportExpired"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackReportExpiredError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["SafeERC20FailedOperation"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackSafeERC20FailedOperationError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["SignerNotAttestor"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackSignerNotAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["SignersNotAscending"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackSignersNotAscendingError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["StakeBelowMinimum"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackStakeBelowMinimumError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["StaleEpoch"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackStaleEpochError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackStringTooLongError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["UnbondingNotReady"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackUnbondingNotReadyError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["UnknownAttestor"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackUnknownAttestorError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackZeroAddressError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackZeroAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], providerRegistry.abi.Errors["ZeroNodeId"].ID.Bytes()[:4]) {
		return providerRegistry.UnpackZeroNodeIdError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// ProviderRegistryAlreadyRegistered represents a AlreadyRegistered error raised by the ProviderRegistry contract.
type ProviderRegistryAlreadyRegistered struct {
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyRegistered(address provider)
func ProviderRegistryAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x45ed80e9399c87887ea54f615514a1e3dde31e9b6c027ddceb4ffd503b70e428")
}

// UnpackAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyRegistered(address provider)
func (providerRegistry *ProviderRegistry) UnpackAlreadyRegisteredError(raw []byte) (*ProviderRegistryAlreadyRegistered, error) {
	out := new(ProviderRegistryAlreadyRegistered)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "AlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryAttestorExists represents a AttestorExists error raised by the ProviderRegistry contract.
type ProviderRegistryAttestorExists struct {
	Attestor common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AttestorExists(address attestor)
func ProviderRegistryAttestorExistsErrorID() common.Hash {
	return common.HexToHash("0xd5ac18214900e79e08f5ea12dbd1079cba6a9f994caa3e8483775648116849c6")
}

// UnpackAttestorExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AttestorExists(address attestor)
func (providerRegistry *ProviderRegistry) UnpackAttestorExistsError(raw []byte) (*ProviderRegistryAttestorExists, error) {
	out := new(ProviderRegistryAttestorExists)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "AttestorExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryDuplicateAttestor represents a DuplicateAttestor error raised by the ProviderRegistry contract.
type ProviderRegistryDuplicateAttestor struct {
	Attestor common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error DuplicateAttestor(address attestor)
func ProviderRegistryDuplicateAttestorErrorID() common.Hash {
	return common.HexToHash("0xc4e5be43a3ac06469f84a0a84326a24db4fb536304b791fe4214a7499e061d11")
}

// UnpackDuplicateAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error DuplicateAttestor(address attestor)
func (providerRegistry *ProviderRegistry) UnpackDuplicateAttestorError(raw []byte) (*ProviderRegistryDuplicateAttestor, error) {
	out := new(ProviderRegistryDuplicateAttestor)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "DuplicateAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryECDSAInvalidSignature represents a ECDSAInvalidSignature error raised by the ProviderRegistry contract.
type ProviderRegistryECDSAInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignature()
func ProviderRegistryECDSAInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0xf645eedf0193584640b6b90cb9477e4c95b98636c148a891d4c0a146dc46e75a")
}

// UnpackECDSAInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignature()
func (providerRegistry *ProviderRegistry) UnpackECDSAInvalidSignatureError(raw []byte) (*ProviderRegistryECDSAInvalidSignature, error) {
	out := new(ProviderRegistryECDSAInvalidSignature)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ECDSAInvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryECDSAInvalidSignatureLength represents a ECDSAInvalidSignatureLength error raised by the ProviderRegistry contract.
type ProviderRegistryECDSAInvalidSignatureLength struct {
	Length *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignatureLength(uint256 length)
func ProviderRegistryECDSAInvalidSignatureLengthErrorID() common.Hash {
	return common.HexToHash("0xfce698f7e8e5342cd615f641317bc45fe7e1e4a8b0a14dd1383ff8dc9c41917f")
}

// UnpackECDSAInvalidSignatureLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignatureLength(uint256 length)
func (providerRegistry *ProviderRegistry) UnpackECDSAInvalidSignatureLengthError(raw []byte) (*ProviderRegistryECDSAInvalidSignatureLength, error) {
	out := new(ProviderRegistryECDSAInvalidSignatureLength)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ECDSAInvalidSignatureLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryECDSAInvalidSignatureS represents a ECDSAInvalidSignatureS error raised by the ProviderRegistry contract.
type ProviderRegistryECDSAInvalidSignatureS struct {
	S [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignatureS(bytes32 s)
func ProviderRegistryECDSAInvalidSignatureSErrorID() common.Hash {
	return common.HexToHash("0xd78bce0cccb935155ed6428d1c13e50b7f3550fd2b66b9fe266006fea4a5e1eb")
}

// UnpackECDSAInvalidSignatureSError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignatureS(bytes32 s)
func (providerRegistry *ProviderRegistry) UnpackECDSAInvalidSignatureSError(raw []byte) (*ProviderRegistryECDSAInvalidSignatureS, error) {
	out := new(ProviderRegistryECDSAInvalidSignatureS)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ECDSAInvalidSignatureS", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInsufficientStake represents a InsufficientStake error raised by the ProviderRegistry contract.
type ProviderRegistryInsufficientStake struct {
	Requested *big.Int
	Stake     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientStake(uint256 requested, uint256 stake)
func ProviderRegistryInsufficientStakeErrorID() common.Hash {
	return common.HexToHash("0x45be0a261a88f9fedc41221879f08865d5e8d6053c877967e6e8e39e5697e6d5")
}

// UnpackInsufficientStakeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientStake(uint256 requested, uint256 stake)
func (providerRegistry *ProviderRegistry) UnpackInsufficientStakeError(raw []byte) (*ProviderRegistryInsufficientStake, error) {
	out := new(ProviderRegistryInsufficientStake)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InsufficientStake", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInvalidNonce represents a InvalidNonce error raised by the ProviderRegistry contract.
type ProviderRegistryInvalidNonce struct {
	Expected *big.Int
	Got      *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidNonce(uint256 expected, uint256 got)
func ProviderRegistryInvalidNonceErrorID() common.Hash {
	return common.HexToHash("0x06427aeb829340ab2fb737653b48224919cda514b62f7791ee57ac449e2ce4cb")
}

// UnpackInvalidNonceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidNonce(uint256 expected, uint256 got)
func (providerRegistry *ProviderRegistry) UnpackInvalidNonceError(raw []byte) (*ProviderRegistryInvalidNonce, error) {
	out := new(ProviderRegistryInvalidNonce)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InvalidNonce", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInvalidShare represents a InvalidShare error raised by the ProviderRegistry contract.
type ProviderRegistryInvalidShare struct {
	Bps uint16
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShare(uint16 bps)
func ProviderRegistryInvalidShareErrorID() common.Hash {
	return common.HexToHash("0x9ab9dde89e855bd04364a271624844a63b6a89196c1f39f1af3fe253fd96be0e")
}

// UnpackInvalidShareError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShare(uint16 bps)
func (providerRegistry *ProviderRegistry) UnpackInvalidShareError(raw []byte) (*ProviderRegistryInvalidShare, error) {
	out := new(ProviderRegistryInvalidShare)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InvalidShare", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInvalidShortString represents a InvalidShortString error raised by the ProviderRegistry contract.
type ProviderRegistryInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func ProviderRegistryInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (providerRegistry *ProviderRegistry) UnpackInvalidShortStringError(raw []byte) (*ProviderRegistryInvalidShortString, error) {
	out := new(ProviderRegistryInvalidShortString)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryInvalidThreshold represents a InvalidThreshold error raised by the ProviderRegistry contract.
type ProviderRegistryInvalidThreshold struct {
	Threshold     uint32
	AttestorCount uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidThreshold(uint32 threshold, uint32 attestorCount)
func ProviderRegistryInvalidThresholdErrorID() common.Hash {
	return common.HexToHash("0x07fb268af061aaa27b25fffaa659e706ad1ff2f0607fba0d0a8a0e9d7930ce98")
}

// UnpackInvalidThresholdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidThreshold(uint32 threshold, uint32 attestorCount)
func (providerRegistry *ProviderRegistry) UnpackInvalidThresholdError(raw []byte) (*ProviderRegistryInvalidThreshold, error) {
	out := new(ProviderRegistryInvalidThreshold)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "InvalidThreshold", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNodeAlreadyRegistered represents a NodeAlreadyRegistered error raised by the ProviderRegistry contract.
type ProviderRegistryNodeAlreadyRegistered struct {
	NodeIdHash [32]byte
	Provider   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NodeAlreadyRegistered(bytes32 nodeIdHash, address provider)
func ProviderRegistryNodeAlreadyRegisteredErrorID() common.Hash {
	return common.HexToHash("0x544ebb18a5885804bb7b7cd094b76db89089daca745ecc0ba9206e18ef5e6f5f")
}

// UnpackNodeAlreadyRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NodeAlreadyRegistered(bytes32 nodeIdHash, address provider)
func (providerRegistry *ProviderRegistry) UnpackNodeAlreadyRegisteredError(raw []byte) (*ProviderRegistryNodeAlreadyRegistered, error) {
	out := new(ProviderRegistryNodeAlreadyRegistered)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NodeAlreadyRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNotAttestor represents a NotAttestor error raised by the ProviderRegistry contract.
type ProviderRegistryNotAttestor struct {
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotAttestor(address caller)
func ProviderRegistryNotAttestorErrorID() common.Hash {
	return common.HexToHash("0x6ae28ec9671c694a3ad549b95511da51bc48bb0398b8fdd6414818fa60743fb1")
}

// UnpackNotAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotAttestor(address caller)
func (providerRegistry *ProviderRegistry) UnpackNotAttestorError(raw []byte) (*ProviderRegistryNotAttestor, error) {
	out := new(ProviderRegistryNotAttestor)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NotAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNotEnoughSignatures represents a NotEnoughSignatures error raised by the ProviderRegistry contract.
type ProviderRegistryNotEnoughSignatures struct {
	Got       *big.Int
	Threshold uint32
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotEnoughSignatures(uint256 got, uint32 threshold)
func ProviderRegistryNotEnoughSignaturesErrorID() common.Hash {
	return common.HexToHash("0xce1170ca2d81b5e3ef17b14de39b41936af2200038a35d288ccf22042c2986a7")
}

// UnpackNotEnoughSignaturesError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotEnoughSignatures(uint256 got, uint32 threshold)
func (providerRegistry *ProviderRegistry) UnpackNotEnoughSignaturesError(raw []byte) (*ProviderRegistryNotEnoughSignatures, error) {
	out := new(ProviderRegistryNotEnoughSignatures)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NotEnoughSignatures", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNotRegistered represents a NotRegistered error raised by the ProviderRegistry contract.
type ProviderRegistryNotRegistered struct {
	Provider common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotRegistered(address provider)
func ProviderRegistryNotRegisteredErrorID() common.Hash {
	return common.HexToHash("0xbfc6c337a80b7b8201f77f0a2a54c6e5f7c6fd9124a749804a482fa16ee8a895")
}

// UnpackNotRegisteredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotRegistered(address provider)
func (providerRegistry *ProviderRegistry) UnpackNotRegisteredError(raw []byte) (*ProviderRegistryNotRegistered, error) {
	out := new(ProviderRegistryNotRegistered)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NotRegistered", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryNothingUnbonding represents a NothingUnbonding error raised by the ProviderRegistry contract.
type ProviderRegistryNothingUnbonding struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingUnbonding()
func ProviderRegistryNothingUnbondingErrorID() common.Hash {
	return common.HexToHash("0x262b9d748fda20db08b6aa78cd2783ad16f83036900561f929b0d4a942a89706")
}

// UnpackNothingUnbondingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingUnbonding()
func (providerRegistry *ProviderRegistry) UnpackNothingUnbondingError(raw []byte) (*ProviderRegistryNothingUnbonding, error) {
	out := new(ProviderRegistryNothingUnbonding)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "NothingUnbonding", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryOwnableInvalidOwner represents a OwnableInvalidOwner error raised by the ProviderRegistry contract.
type ProviderRegistryOwnableInvalidOwner struct {
	Owner common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnableInvalidOwner(address owner)
func ProviderRegistryOwnableInvalidOwnerErrorID() common.Hash {
	return common.HexToHash("0x1e4fbdf7f3ef8bcaa855599e3abf48b232380f183f08f6f813d9ffa5bd585188")
}

// UnpackOwnableInvalidOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnableInvalidOwner(address owner)
func (providerRegistry *ProviderRegistry) UnpackOwnableInvalidOwnerError(raw []byte) (*ProviderRegistryOwnableInvalidOwner, error) {
	out := new(ProviderRegistryOwnableInvalidOwner)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "OwnableInvalidOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryOwnableUnauthorizedAccount represents a OwnableUnauthorizedAccount error raised by the ProviderRegistry contract.
type ProviderRegistryOwnableUnauthorizedAccount struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnableUnauthorizedAccount(address account)
func ProviderRegistryOwnableUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0x118cdaa7a341953d1887a2245fd6665d741c67c8c50581daa59e1d03373fa188")
}

// UnpackOwnableUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnableUnauthorizedAccount(address account)
func (providerRegistry *ProviderRegistry) UnpackOwnableUnauthorizedAccountError(raw []byte) (*ProviderRegistryOwnableUnauthorizedAccount, error) {
	out := new(ProviderRegistryOwnableUnauthorizedAccount)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "OwnableUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the ProviderRegistry contract.
type ProviderRegistryReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func ProviderRegistryReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (providerRegistry *ProviderRegistry) UnpackReentrancyGuardReentrantCallError(raw []byte) (*ProviderRegistryReentrancyGuardReentrantCall, error) {
	out := new(ProviderRegistryReentrancyGuardReentrantCall)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryReportExpired represents a ReportExpired error raised by the ProviderRegistry contract.
type ProviderRegistryReportExpired struct {
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReportExpired(uint256 deadline)
func ProviderRegistryReportExpiredErrorID() common.Hash {
	return common.HexToHash("0x5fc3084055059d24e4400e1e847f19fb49b4058079f69ada0bdca62a0a1b8929")
}

// UnpackReportExpiredError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReportExpired(uint256 deadline)
func (providerRegistry *ProviderRegistry) UnpackReportExpiredError(raw []byte) (*ProviderRegistryReportExpired, error) {
	out := new(ProviderRegistryReportExpired)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ReportExpired", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistrySafeERC20FailedOperation represents a SafeERC20FailedOperation error raised by the ProviderRegistry contract.
type ProviderRegistrySafeERC20FailedOperation struct {
	Token common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeERC20FailedOperation(address token)
func ProviderRegistrySafeERC20FailedOperationErrorID() common.Hash {
	return common.HexToHash("0x5274afe73c98b4749fc91ffae6b7b574e7842cb2144a159e9377a5f20b32edf9")
}

// UnpackSafeERC20FailedOperationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeERC20FailedOperation(address token)
func (providerRegistry *ProviderRegistry) UnpackSafeERC20FailedOperationError(raw []byte) (*ProviderRegistrySafeERC20FailedOperation, error) {
	out := new(ProviderRegistrySafeERC20FailedOperation)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "SafeERC20FailedOperation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistrySignerNotAttestor represents a SignerNotAttestor error raised by the ProviderRegistry contract.
type ProviderRegistrySignerNotAttestor struct {
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignerNotAttestor(address signer)
func ProviderRegistrySignerNotAttestorErrorID() common.Hash {
	return common.HexToHash("0x122876bf0c6225be60cf6b7379178e3af94089976077294f62c61520429f05c6")
}

// UnpackSignerNotAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignerNotAttestor(address signer)
func (providerRegistry *ProviderRegistry) UnpackSignerNotAttestorError(raw []byte) (*ProviderRegistrySignerNotAttestor, error) {
	out := new(ProviderRegistrySignerNotAttestor)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "SignerNotAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistrySignersNotAscending represents a SignersNotAscending error raised by the ProviderRegistry contract.
type ProviderRegistrySignersNotAscending struct {
	Signer common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SignersNotAscending(address signer)
func ProviderRegistrySignersNotAscendingErrorID() common.Hash {
	return common.HexToHash("0x1271cb070a9714d5abf5a7c9ef579b2bce60781bd3f17ad24dade35189e0b616")
}

// UnpackSignersNotAscendingError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SignersNotAscending(address signer)
func (providerRegistry *ProviderRegistry) UnpackSignersNotAscendingError(raw []byte) (*ProviderRegistrySignersNotAscending, error) {
	out := new(ProviderRegistrySignersNotAscending)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "SignersNotAscending", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryStakeBelowMinimum represents a StakeBelowMinimum error raised by the ProviderRegistry contract.
type ProviderRegistryStakeBelowMinimum struct {
	Stake    *big.Int
	MinStake *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StakeBelowMinimum(uint256 stake, uint256 minStake)
func ProviderRegistryStakeBelowMinimumErrorID() common.Hash {
	return common.HexToHash("0x78e030db6dab79f2b1f675555d46c1e1b9504d86f8ec1f9c65f3cd21b236deed")
}

// UnpackStakeBelowMinimumError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StakeBelowMinimum(uint256 stake, uint256 minStake)
func (providerRegistry *ProviderRegistry) UnpackStakeBelowMinimumError(raw []byte) (*ProviderRegistryStakeBelowMinimum, error) {
	out := new(ProviderRegistryStakeBelowMinimum)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "StakeBelowMinimum", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryStaleEpoch represents a StaleEpoch error raised by the ProviderRegistry contract.
type ProviderRegistryStaleEpoch struct {
	Expected uint64
	Got      uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StaleEpoch(uint64 expected, uint64 got)
func ProviderRegistryStaleEpochErrorID() common.Hash {
	return common.HexToHash("0xce85c4225d2813b50103ed0229b2e59cbf35056a7daf864f295bf12a9886a9c5")
}

// UnpackStaleEpochError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StaleEpoch(uint64 expected, uint64 got)
func (providerRegistry *ProviderRegistry) UnpackStaleEpochError(raw []byte) (*ProviderRegistryStaleEpoch, error) {
	out := new(ProviderRegistryStaleEpoch)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "StaleEpoch", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryStringTooLong represents a StringTooLong error raised by the ProviderRegistry contract.
type ProviderRegistryStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func ProviderRegistryStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (providerRegistry *ProviderRegistry) UnpackStringTooLongError(raw []byte) (*ProviderRegistryStringTooLong, error) {
	out := new(ProviderRegistryStringTooLong)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryUnbondingNotReady represents a UnbondingNotReady error raised by the ProviderRegistry contract.
type ProviderRegistryUnbondingNotReady struct {
	UnbondableAt uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnbondingNotReady(uint64 unbondableAt)
func ProviderRegistryUnbondingNotReadyErrorID() common.Hash {
	return common.HexToHash("0xbdeb7900a9f54d541a53a9522931e3883f98af230cbfb7098f7532fc98bf7e92")
}

// UnpackUnbondingNotReadyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnbondingNotReady(uint64 unbondableAt)
func (providerRegistry *ProviderRegistry) UnpackUnbondingNotReadyError(raw []byte) (*ProviderRegistryUnbondingNotReady, error) {
	out := new(ProviderRegistryUnbondingNotReady)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "UnbondingNotReady", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryUnknownAttestor represents a UnknownAttestor error raised by the ProviderRegistry contract.
type ProviderRegistryUnknownAttestor struct {
	Attestor common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownAttestor(address attestor)
func ProviderRegistryUnknownAttestorErrorID() common.Hash {
	return common.HexToHash("0xd5bd637fa7d6c7f66c042c24ef3dcb554aa9321e26f11e4f46a594dfd9557093")
}

// UnpackUnknownAttestorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownAttestor(address attestor)
func (providerRegistry *ProviderRegistry) UnpackUnknownAttestorError(raw []byte) (*ProviderRegistryUnknownAttestor, error) {
	out := new(ProviderRegistryUnknownAttestor)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "UnknownAttestor", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryZeroAddress represents a ZeroAddress error raised by the ProviderRegistry contract.
type ProviderRegistryZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func ProviderRegistryZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (providerRegistry *ProviderRegistry) UnpackZeroAddressError(raw []byte) (*ProviderRegistryZeroAddress, error) {
	out := new(ProviderRegistryZeroAddress)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryZeroAmount represents a ZeroAmount error raised by the ProviderRegistry contract.
type ProviderRegistryZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func ProviderRegistryZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (providerRegistry *ProviderRegistry) UnpackZeroAmountError(raw []byte) (*ProviderRegistryZeroAmount, error) {
	out := new(ProviderRegistryZeroAmount)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// ProviderRegistryZeroNodeId represents a ZeroNodeId error raised by the ProviderRegistry contract.
type ProviderRegistryZeroNodeId struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroNodeId()
func ProviderRegistryZeroNodeIdErrorID() common.Hash {
	return common.HexToHash("0xe761050cd07a2f627e551d9f8d1dd48d3c36568ee0a04ce8ebe393d4496a84a6")
}

// UnpackZeroNodeIdError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroNodeId()
func (providerRegistry *ProviderRegistry) UnpackZeroNodeIdError(raw []byte) (*ProviderRegistryZeroNodeId, error) {
	out := new(ProviderRegistryZeroNodeId)
	if err := providerRegistry.abi.UnpackIntoInterface(out, "ZeroNodeId", raw); err != nil {
		return nil, err
	}
	return out, nil
}
