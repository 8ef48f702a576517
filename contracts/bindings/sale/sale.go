// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package sale

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

// TokenSaleMetaData contains all meta data concerning the TokenSale contract.
var TokenSaleMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner_\",\"type\":\"address\"},{\"internalType\":\"contractDec2Token\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"rate_\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"start_\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"end_\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"softCap_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"hardCap_\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxPerBuyer_\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AlreadyWithdrawn\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"contributionAfter\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxPerBuyer\",\"type\":\"uint256\"}],\"name\":\"BuyerLimitExceeded\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EthTransferFailed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"raisedAfter\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"hardCap\",\"type\":\"uint256\"}],\"name\":\"HardCapExceeded\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidConfig\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"NothingToClaim\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"OwnableInvalidOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"OwnableUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"SaleNotEnded\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"SaleNotOpen\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"raised\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"softCap\",\"type\":\"uint256\"}],\"name\":\"SoftCapNotReached\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"raised\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"softCap\",\"type\":\"uint256\"}],\"name\":\"SoftCapReached\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroPurchase\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"tokens\",\"type\":\"uint256\"}],\"name\":\"Claimed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"ProceedsWithdrawn\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"weiPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"tokens\",\"type\":\"uint256\"}],\"name\":\"Purchased\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"weiRefunded\",\"type\":\"uint256\"}],\"name\":\"Refunded\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"buy\",\"outputs\":[],\"stateMutability\":\"payable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"claim\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"}],\"name\":\"contributions\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"weiPaid\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"end\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"hardCap\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"maxPerBuyer\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"proceedsWithdrawn\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"raised\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"rate\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"refund\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"renounceOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"softCap\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"start\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractDec2Token\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"withdrawProceeds\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "e6dd19b6a68e723952cdd99fd7b04e9fbe",
	Bin: "0x610160604052348015610010575f5ffd5b50604051610fc4380380610fc483398101604081905261002f9161017a565b876001600160a01b03811661005d57604051631e4fbdf760e01b81525f600482015260240160405180910390fd5b610066816100f9565b508515806100865750836001600160401b0316856001600160401b031610155b8061009057508183115b80610099575081155b806100a2575080155b156100c0576040516306b7c75960e31b815260040160405180910390fd5b6001600160a01b0390961660805260a0949094526001600160401b0392831660c052911660e052610100526101205261014052506101f6565b5f80546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b6001600160a01b038116811461015c575f5ffd5b50565b80516001600160401b0381168114610175575f5ffd5b919050565b5f5f5f5f5f5f5f5f610100898b031215610192575f5ffd5b885161019d81610148565b60208a01519098506101ae81610148565b60408a015190975095506101c460608a0161015f565b94506101d260808a0161015f565b60a08a015160c08b015160e0909b0151999c989b5096999598909790945092505050565b60805160a05160c05160e051610100516101205161014051610cf86102cc5f395f818161026901528181610924015261096001525f81816103570152818161089e01526108da01525f8181610236015281816103be015281816104000152818161056d015281816105ae0152818161068201526106c401525f81816102f0015281816107c60152818161083e01528181610a7b0152610ac301525f81816102a401528181610793015261081601525f818161010f0152818161047701526109c901525f818161038a01526104f00152610cf85ff3fe6080604052600436106100fa575f3560e01c8063906a26e011610092578063efbe1c1c11610062578063efbe1c1c146102df578063f0ea4bfc14610312578063f2fde38b14610327578063fb86a40414610346578063fc0c546a14610379575f5ffd5b8063906a26e0146102255780639c742ded14610258578063a6f2ae3a1461028b578063be9a655514610293575f5ffd5b806362810c81116100cd57806362810c8114610199578063715018a6146101b857806386a31757146101cc5780638da5cb5b146101f5575f5ffd5b80632c4e722e146100fe57806342e94c90146101445780634e71d92d1461016f578063590e1ae314610185575b5f5ffd5b348015610109575f5ffd5b506101317f000000000000000000000000000000000000000000000000000000000000000081565b6040519081526020015b60405180910390f35b34801561014f575f5ffd5b5061013161015e366004610c51565b60036020525f908152604090205481565b34801561017a575f5ffd5b506101836103ac565b005b348015610190575f5ffd5b5061018361055b565b3480156101a4575f5ffd5b506101836101b3366004610c51565b610668565b3480156101c3575f5ffd5b50610183610780565b3480156101d7575f5ffd5b506002546101e59060ff1681565b604051901515815260200161013b565b348015610200575f5ffd5b505f546001600160a01b03165b6040516001600160a01b03909116815260200161013b565b348015610230575f5ffd5b506101317f000000000000000000000000000000000000000000000000000000000000000081565b348015610263575f5ffd5b506101317f000000000000000000000000000000000000000000000000000000000000000081565b610183610791565b34801561029e575f5ffd5b506102c67f000000000000000000000000000000000000000000000000000000000000000081565b60405167ffffffffffffffff909116815260200161013b565b3480156102ea575f5ffd5b506102c67f000000000000000000000000000000000000000000000000000000000000000081565b34801561031d575f5ffd5b5061013160015481565b348015610332575f5ffd5b50610183610341366004610c51565b610a0a565b348015610351575f5ffd5b506101317f000000000000000000000000000000000000000000000000000000000000000081565b348015610384575f5ffd5b5061020d7f000000000000000000000000000000000000000000000000000000000000000081565b6103b4610a44565b6103bc610a79565b7f00000000000000000000000000000000000000000000000000000000000000006001541015610431576001546040516339459b7960e01b815260048101919091527f000000000000000000000000000000000000000000000000000000000000000060248201526044015b60405180910390fd5b335f9081526003602052604081205490819003610461576040516312d37ee560e31b815260040160405180910390fd5b335f90815260036020526040812081905561049c7f000000000000000000000000000000000000000000000000000000000000000083610c92565b60405181815290915033907fd8138f8a3f377c5259ca548e70e4c2de94f129f5a11036a15b69513cba2b426a9060200160405180910390a26040516340c10f1960e01b8152336004820152602481018290527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316906340c10f19906044015f604051808303815f87803b158015610539575f5ffd5b505af115801561054b573d5f5f3e3d5ffd5b505050505050610559610af0565b565b610563610a44565b61056b610a79565b7f0000000000000000000000000000000000000000000000000000000000000000600154106105da5760015460405163b43ca1b160e01b815260048101919091527f00000000000000000000000000000000000000000000000000000000000000006024820152604401610428565b335f908152600360205260408120549081900361060a576040516312d37ee560e31b815260040160405180910390fd5b335f8181526003602052604080822091909155517fd7dee2702d63ad89917b6a4da9981c90c4d24f8c2bdfd64c604ecae57d8d06519061064d9084815260200190565b60405180910390a261065f3382610b1a565b50610559610af0565b610670610b8f565b610678610a44565b610680610a79565b7f000000000000000000000000000000000000000000000000000000000000000060015410156106f0576001546040516339459b7960e01b815260048101919091527f00000000000000000000000000000000000000000000000000000000000000006024820152604401610428565b60025460ff161561071457604051636507689f60e01b815260040160405180910390fd5b6002805460ff19166001908117909155546040516001600160a01b038316917f0f2fb75cc1977a496e94837f859e957f68e26e70dc1b75d9945ee92ae57969ba9161076191815260200190565b60405180910390a261077581600154610b1a565b61077d610af0565b50565b610788610b8f565b6105595f610bbb565b7f000000000000000000000000000000000000000000000000000000000000000067ffffffffffffffff164210806107f357507f000000000000000000000000000000000000000000000000000000000000000067ffffffffffffffff164210155b1561086b576040516306eed5ef60e41b815242600482015267ffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000811660248301527f0000000000000000000000000000000000000000000000000000000000000000166044820152606401610428565b345f0361088b576040516331ebb47760e11b815260040160405180910390fd5b5f3460015461089a9190610caf565b90507f000000000000000000000000000000000000000000000000000000000000000081111561090657604051631af68b1160e21b8152600481018290527f00000000000000000000000000000000000000000000000000000000000000006024820152604401610428565b335f90815260036020526040812054610920903490610caf565b90507f000000000000000000000000000000000000000000000000000000000000000081111561098c5760405163a65c704560e01b8152600481018290527f00000000000000000000000000000000000000000000000000000000000000006024820152604401610428565b6001829055335f8181526003602052604090208290557ff761777482b4b40d2bcc0d050cfba6829900a2d8b3484bd0244ec0feeb3db504346109ee7f000000000000000000000000000000000000000000000000000000000000000082610c92565b6040805192835260208301919091520160405180910390a25050565b610a12610b8f565b6001600160a01b038116610a3b57604051631e4fbdf760e01b81525f6004820152602401610428565b61077d81610bbb565b610a4c610c0a565b61055960017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90610c4a565b7f000000000000000000000000000000000000000000000000000000000000000067ffffffffffffffff1642101561055957604051638523283f60e01b815267ffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000166004820152602401610428565b6105595f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00610a73565b5f826001600160a01b0316826040515f6040518083038185875af1925050503d805f8114610b63576040519150601f19603f3d011682016040523d82523d5f602084013e610b68565b606091505b5050905080610b8a57604051630db2c7f160e31b815260040160405180910390fd5b505050565b5f546001600160a01b031633146105595760405163118cdaa760e01b8152336004820152602401610428565b5f80546001600160a01b038381166001600160a01b0319831681178455604051919092169283917f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e09190a35050565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c1561055957604051633ee5aeb560e01b815260040160405180910390fd5b80825d5050565b5f60208284031215610c61575f5ffd5b81356001600160a01b0381168114610c77575f5ffd5b9392505050565b634e487b7160e01b5f52601160045260245ffd5b8082028115828204841417610ca957610ca9610c7e565b92915050565b80820180821115610ca957610ca9610c7e56fea26469706673582212203f680641f93cf95d3cce0c5bf03f5ff4f9330c362e469a64b58cb0b7e210698864736f6c63430008250033",
}

// TokenSale is an auto generated Go binding around an Ethereum contract.
type TokenSale struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TokenSale) GetABI() abi.ABI {
	return c.abi
}

// NewTokenSale creates a new instance of TokenSale.
func NewTokenSale() *TokenSale {
	parsed, err := TokenSaleMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TokenSale{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TokenSale) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address owner_, address token_, uint256 rate_, uint64 start_, uint64 end_, uint256 softCap_, uint256 hardCap_, uint256 maxPerBuyer_) returns()
func (tokenSale *TokenSale) PackConstructor(owner_ common.Address, token_ common.Address, rate_ *big.Int, start_ uint64, end_ uint64, softCap_ *big.Int, hardCap_ *big.Int, maxPerBuyer_ *big.Int) []byte {
	enc, err := tokenSale.abi.Pack("", owner_, token_, rate_, start_, end_, softCap_, hardCap_, maxPerBuyer_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackBuy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa6f2ae3a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function buy() payable returns()
func (tokenSale *TokenSale) PackBuy() []byte {
	enc, err := tokenSale.abi.Pack("buy")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBuy is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa6f2ae3a.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function buy() payable returns()
func (tokenSale *TokenSale) TryPackBuy() ([]byte, error) {
	return tokenSale.abi.Pack("buy")
}

// PackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e71d92d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function claim() returns()
func (tokenSale *TokenSale) PackClaim() []byte {
	enc, err := tokenSale.abi.Pack("claim")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackClaim is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4e71d92d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function claim() returns()
func (tokenSale *TokenSale) TryPackClaim() ([]byte, error) {
	return tokenSale.abi.Pack("claim")
}

// PackContributions is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42e94c90.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function contributions(address buyer) view returns(uint256 weiPaid)
func (tokenSale *TokenSale) PackContributions(buyer common.Address) []byte {
	enc, err := tokenSale.abi.Pack("contributions", buyer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackContributions is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x42e94c90.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function contributions(address buyer) view returns(uint256 weiPaid)
func (tokenSale *TokenSale) TryPackContributions(buyer common.Address) ([]byte, error) {
	return tokenSale.abi.Pack("contributions", buyer)
}

// UnpackContributions is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x42e94c90.
//
// Solidity: function contributions(address buyer) view returns(uint256 weiPaid)
func (tokenSale *TokenSale) UnpackContributions(data []byte) (*big.Int, error) {
	out, err := tokenSale.abi.Unpack("contributions", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackEnd is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xefbe1c1c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function end() view returns(uint64)
func (tokenSale *TokenSale) PackEnd() []byte {
	enc, err := tokenSale.abi.Pack("end")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackEnd is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xefbe1c1c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function end() view returns(uint64)
func (tokenSale *TokenSale) TryPackEnd() ([]byte, error) {
	return tokenSale.abi.Pack("end")
}

// UnpackEnd is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xefbe1c1c.
//
// Solidity: function end() view returns(uint64)
func (tokenSale *TokenSale) UnpackEnd(data []byte) (uint64, error) {
	out, err := tokenSale.abi.Unpack("end", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackHardCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb86a404.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hardCap() view returns(uint256)
func (tokenSale *TokenSale) PackHardCap() []byte {
	enc, err := tokenSale.abi.Pack("hardCap")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHardCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfb86a404.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hardCap() view returns(uint256)
func (tokenSale *TokenSale) TryPackHardCap() ([]byte, error) {
	return tokenSale.abi.Pack("hardCap")
}

// UnpackHardCap is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfb86a404.
//
// Solidity: function hardCap() view returns(uint256)
func (tokenSale *TokenSale) UnpackHardCap(data []byte) (*big.Int, error) {
	out, err := tokenSale.abi.Unpack("hardCap", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackMaxPerBuyer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9c742ded.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function maxPerBuyer() view returns(uint256)
func (tokenSale *TokenSale) PackMaxPerBuyer() []byte {
	enc, err := tokenSale.abi.Pack("maxPerBuyer")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMaxPerBuyer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9c742ded.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function maxPerBuyer() view returns(uint256)
func (tokenSale *TokenSale) TryPackMaxPerBuyer() ([]byte, error) {
	return tokenSale.abi.Pack("maxPerBuyer")
}

// UnpackMaxPerBuyer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x9c742ded.
//
// Solidity: function maxPerBuyer() view returns(uint256)
func (tokenSale *TokenSale) UnpackMaxPerBuyer(data []byte) (*big.Int, error) {
	out, err := tokenSale.abi.Unpack("maxPerBuyer", data)
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
func (tokenSale *TokenSale) PackOwner() []byte {
	enc, err := tokenSale.abi.Pack("owner")
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
func (tokenSale *TokenSale) TryPackOwner() ([]byte, error) {
	return tokenSale.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (tokenSale *TokenSale) UnpackOwner(data []byte) (common.Address, error) {
	out, err := tokenSale.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackProceedsWithdrawn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x86a31757.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function proceedsWithdrawn() view returns(bool)
func (tokenSale *TokenSale) PackProceedsWithdrawn() []byte {
	enc, err := tokenSale.abi.Pack("proceedsWithdrawn")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackProceedsWithdrawn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x86a31757.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function proceedsWithdrawn() view returns(bool)
func (tokenSale *TokenSale) TryPackProceedsWithdrawn() ([]byte, error) {
	return tokenSale.abi.Pack("proceedsWithdrawn")
}

// UnpackProceedsWithdrawn is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x86a31757.
//
// Solidity: function proceedsWithdrawn() view returns(bool)
func (tokenSale *TokenSale) UnpackProceedsWithdrawn(data []byte) (bool, error) {
	out, err := tokenSale.abi.Unpack("proceedsWithdrawn", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackRaised is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0ea4bfc.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function raised() view returns(uint256)
func (tokenSale *TokenSale) PackRaised() []byte {
	enc, err := tokenSale.abi.Pack("raised")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRaised is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf0ea4bfc.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function raised() view returns(uint256)
func (tokenSale *TokenSale) TryPackRaised() ([]byte, error) {
	return tokenSale.abi.Pack("raised")
}

// UnpackRaised is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xf0ea4bfc.
//
// Solidity: function raised() view returns(uint256)
func (tokenSale *TokenSale) UnpackRaised(data []byte) (*big.Int, error) {
	out, err := tokenSale.abi.Unpack("raised", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2c4e722e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function rate() view returns(uint256)
func (tokenSale *TokenSale) PackRate() []byte {
	enc, err := tokenSale.abi.Pack("rate")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRate is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2c4e722e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function rate() view returns(uint256)
func (tokenSale *TokenSale) TryPackRate() ([]byte, error) {
	return tokenSale.abi.Pack("rate")
}

// UnpackRate is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x2c4e722e.
//
// Solidity: function rate() view returns(uint256)
func (tokenSale *TokenSale) UnpackRate(data []byte) (*big.Int, error) {
	out, err := tokenSale.abi.Unpack("rate", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x590e1ae3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function refund() returns()
func (tokenSale *TokenSale) PackRefund() []byte {
	enc, err := tokenSale.abi.Pack("refund")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRefund is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x590e1ae3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function refund() returns()
func (tokenSale *TokenSale) TryPackRefund() ([]byte, error) {
	return tokenSale.abi.Pack("refund")
}

// PackRenounceOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x715018a6.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceOwnership() returns()
func (tokenSale *TokenSale) PackRenounceOwnership() []byte {
	enc, err := tokenSale.abi.Pack("renounceOwnership")
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
func (tokenSale *TokenSale) TryPackRenounceOwnership() ([]byte, error) {
	return tokenSale.abi.Pack("renounceOwnership")
}

// PackSoftCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x906a26e0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function softCap() view returns(uint256)
func (tokenSale *TokenSale) PackSoftCap() []byte {
	enc, err := tokenSale.abi.Pack("softCap")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSoftCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x906a26e0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function softCap() view returns(uint256)
func (tokenSale *TokenSale) TryPackSoftCap() ([]byte, error) {
	return tokenSale.abi.Pack("softCap")
}

// UnpackSoftCap is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x906a26e0.
//
// Solidity: function softCap() view returns(uint256)
func (tokenSale *TokenSale) UnpackSoftCap(data []byte) (*big.Int, error) {
	out, err := tokenSale.abi.Unpack("softCap", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackStart is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbe9a6555.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function start() view returns(uint64)
func (tokenSale *TokenSale) PackStart() []byte {
	enc, err := tokenSale.abi.Pack("start")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStart is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xbe9a6555.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function start() view returns(uint64)
func (tokenSale *TokenSale) TryPackStart() ([]byte, error) {
	return tokenSale.abi.Pack("start")
}

// UnpackStart is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xbe9a6555.
//
// Solidity: function start() view returns(uint64)
func (tokenSale *TokenSale) UnpackStart(data []byte) (uint64, error) {
	out, err := tokenSale.abi.Unpack("start", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function token() view returns(address)
func (tokenSale *TokenSale) PackToken() []byte {
	enc, err := tokenSale.abi.Pack("token")
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
func (tokenSale *TokenSale) TryPackToken() ([]byte, error) {
	return tokenSale.abi.Pack("token")
}

// UnpackToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (tokenSale *TokenSale) UnpackToken(data []byte) (common.Address, error) {
	out, err := tokenSale.abi.Unpack("token", data)
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
func (tokenSale *TokenSale) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := tokenSale.abi.Pack("transferOwnership", newOwner)
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
func (tokenSale *TokenSale) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return tokenSale.abi.Pack("transferOwnership", newOwner)
}

// PackWithdrawProceeds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x62810c81.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawProceeds(address to) returns()
func (tokenSale *TokenSale) PackWithdrawProceeds(to common.Address) []byte {
	enc, err := tokenSale.abi.Pack("withdrawProceeds", to)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawProceeds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x62810c81.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawProceeds(address to) returns()
func (tokenSale *TokenSale) TryPackWithdrawProceeds(to common.Address) ([]byte, error) {
	return tokenSale.abi.Pack("withdrawProceeds", to)
}

// TokenSaleClaimed represents a Claimed event raised by the TokenSale contract.
type TokenSaleClaimed struct {
	Buyer  common.Address
	Tokens *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const TokenSaleClaimedEventName = "Claimed"

// ContractEventName returns the user-defined event name.
func (TokenSaleClaimed) ContractEventName() string {
	return TokenSaleClaimedEventName
}

// UnpackClaimedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Claimed(address indexed buyer, uint256 tokens)
func (tokenSale *TokenSale) UnpackClaimedEvent(log *types.Log) (*TokenSaleClaimed, error) {
	event := "Claimed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tokenSale.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TokenSaleClaimed)
	if len(log.Data) > 0 {
		if err := tokenSale.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tokenSale.abi.Events[event].Inputs {
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

// TokenSaleOwnershipTransferred represents a OwnershipTransferred event raised by the TokenSale contract.
type TokenSaleOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const TokenSaleOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (TokenSaleOwnershipTransferred) ContractEventName() string {
	return TokenSaleOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (tokenSale *TokenSale) UnpackOwnershipTransferredEvent(log *types.Log) (*TokenSaleOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tokenSale.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TokenSaleOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := tokenSale.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tokenSale.abi.Events[event].Inputs {
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

// TokenSaleProceedsWithdrawn represents a ProceedsWithdrawn event raised by the TokenSale contract.
type TokenSaleProceedsWithdrawn struct {
	To     common.Address
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const TokenSaleProceedsWithdrawnEventName = "ProceedsWithdrawn"

// ContractEventName returns the user-defined event name.
func (TokenSaleProceedsWithdrawn) ContractEventName() string {
	return TokenSaleProceedsWithdrawnEventName
}

// UnpackProceedsWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event ProceedsWithdrawn(address indexed to, uint256 amount)
func (tokenSale *TokenSale) UnpackProceedsWithdrawnEvent(log *types.Log) (*TokenSaleProceedsWithdrawn, error) {
	event := "ProceedsWithdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tokenSale.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TokenSaleProceedsWithdrawn)
	if len(log.Data) > 0 {
		if err := tokenSale.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tokenSale.abi.Events[event].Inputs {
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

// TokenSalePurchased represents a Purchased event raised by the TokenSale contract.
type TokenSalePurchased struct {
	Buyer   common.Address
	WeiPaid *big.Int
	Tokens  *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const TokenSalePurchasedEventName = "Purchased"

// ContractEventName returns the user-defined event name.
func (TokenSalePurchased) ContractEventName() string {
	return TokenSalePurchasedEventName
}

// UnpackPurchasedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Purchased(address indexed buyer, uint256 weiPaid, uint256 tokens)
func (tokenSale *TokenSale) UnpackPurchasedEvent(log *types.Log) (*TokenSalePurchased, error) {
	event := "Purchased"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tokenSale.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TokenSalePurchased)
	if len(log.Data) > 0 {
		if err := tokenSale.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tokenSale.abi.Events[event].Inputs {
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

// TokenSaleRefunded represents a Refunded event raised by the TokenSale contract.
type TokenSaleRefunded struct {
	Buyer       common.Address
	WeiRefunded *big.Int
	Raw         *types.Log // Blockchain specific contextual infos
}

const TokenSaleRefundedEventName = "Refunded"

// ContractEventName returns the user-defined event name.
func (TokenSaleRefunded) ContractEventName() string {
	return TokenSaleRefundedEventName
}

// UnpackRefundedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Refunded(address indexed buyer, uint256 weiRefunded)
func (tokenSale *TokenSale) UnpackRefundedEvent(log *types.Log) (*TokenSaleRefunded, error) {
	event := "Refunded"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != tokenSale.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TokenSaleRefunded)
	if len(log.Data) > 0 {
		if err := tokenSale.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range tokenSale.abi.Events[event].Inputs {
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
func (tokenSale *TokenSale) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["AlreadyWithdrawn"].ID.Bytes()[:4]) {
		return tokenSale.UnpackAlreadyWithdrawnError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["BuyerLimitExceeded"].ID.Bytes()[:4]) {
		return tokenSale.UnpackBuyerLimitExceededError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["EthTransferFailed"].ID.Bytes()[:4]) {
		return tokenSale.UnpackEthTransferFailedError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["HardCapExceeded"].ID.Bytes()[:4]) {
		return tokenSale.UnpackHardCapExceededError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["InvalidConfig"].ID.Bytes()[:4]) {
		return tokenSale.UnpackInvalidConfigError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["NothingToClaim"].ID.Bytes()[:4]) {
		return tokenSale.UnpackNothingToClaimError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["OwnableInvalidOwner"].ID.Bytes()[:4]) {
		return tokenSale.UnpackOwnableInvalidOwnerError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["OwnableUnauthorizedAccount"].ID.Bytes()[:4]) {
		return tokenSale.UnpackOwnableUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return tokenSale.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["SaleNotEnded"].ID.Bytes()[:4]) {
		return tokenSale.UnpackSaleNotEndedError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["SaleNotOpen"].ID.Bytes()[:4]) {
		return tokenSale.UnpackSaleNotOpenError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["SoftCapNotReached"].ID.Bytes()[:4]) {
		return tokenSale.UnpackSoftCapNotReachedError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["SoftCapReached"].ID.Bytes()[:4]) {
		return tokenSale.UnpackSoftCapReachedError(raw[4:])
	}
	if bytes.Equal(raw[:4], tokenSale.abi.Errors["ZeroPurchase"].ID.Bytes()[:4]) {
		return tokenSale.UnpackZeroPurchaseError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// TokenSaleAlreadyWithdrawn represents a AlreadyWithdrawn error raised by the TokenSale contract.
type TokenSaleAlreadyWithdrawn struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AlreadyWithdrawn()
func TokenSaleAlreadyWithdrawnErrorID() common.Hash {
	return common.HexToHash("0x6507689f7ae12ce5bbbf542b55f2c321284743146919a93f37aed7f5866329ec")
}

// UnpackAlreadyWithdrawnError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AlreadyWithdrawn()
func (tokenSale *TokenSale) UnpackAlreadyWithdrawnError(raw []byte) (*TokenSaleAlreadyWithdrawn, error) {
	out := new(TokenSaleAlreadyWithdrawn)
	if err := tokenSale.abi.UnpackIntoInterface(out, "AlreadyWithdrawn", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleBuyerLimitExceeded represents a BuyerLimitExceeded error raised by the TokenSale contract.
type TokenSaleBuyerLimitExceeded struct {
	ContributionAfter *big.Int
	MaxPerBuyer       *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error BuyerLimitExceeded(uint256 contributionAfter, uint256 maxPerBuyer)
func TokenSaleBuyerLimitExceededErrorID() common.Hash {
	return common.HexToHash("0xa65c704579e11175eec9d970bc2eb4915ee80a5ef6c4167eab05ed4377b677ca")
}

// UnpackBuyerLimitExceededError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error BuyerLimitExceeded(uint256 contributionAfter, uint256 maxPerBuyer)
func (tokenSale *TokenSale) UnpackBuyerLimitExceededError(raw []byte) (*TokenSaleBuyerLimitExceeded, error) {
	out := new(TokenSaleBuyerLimitExceeded)
	if err := tokenSale.abi.UnpackIntoInterface(out, "BuyerLimitExceeded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleEthTransferFailed represents a EthTransferFailed error raised by the TokenSale contract.
type TokenSaleEthTransferFailed struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EthTransferFailed()
func TokenSaleEthTransferFailedErrorID() common.Hash {
	return common.HexToHash("0x6d963f88320eb7ba26bde12e9a148612be34ed8cfb2f4e191e88c4af7a5386fc")
}

// UnpackEthTransferFailedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EthTransferFailed()
func (tokenSale *TokenSale) UnpackEthTransferFailedError(raw []byte) (*TokenSaleEthTransferFailed, error) {
	out := new(TokenSaleEthTransferFailed)
	if err := tokenSale.abi.UnpackIntoInterface(out, "EthTransferFailed", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleHardCapExceeded represents a HardCapExceeded error raised by the TokenSale contract.
type TokenSaleHardCapExceeded struct {
	RaisedAfter *big.Int
	HardCap     *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error HardCapExceeded(uint256 raisedAfter, uint256 hardCap)
func TokenSaleHardCapExceededErrorID() common.Hash {
	return common.HexToHash("0x6bda2c44fc8f0a8788bfe235735cb957e4692df3724ae085caed54fdb6606900")
}

// UnpackHardCapExceededError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error HardCapExceeded(uint256 raisedAfter, uint256 hardCap)
func (tokenSale *TokenSale) UnpackHardCapExceededError(raw []byte) (*TokenSaleHardCapExceeded, error) {
	out := new(TokenSaleHardCapExceeded)
	if err := tokenSale.abi.UnpackIntoInterface(out, "HardCapExceeded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleInvalidConfig represents a InvalidConfig error raised by the TokenSale contract.
type TokenSaleInvalidConfig struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidConfig()
func TokenSaleInvalidConfigErrorID() common.Hash {
	return common.HexToHash("0x35be3ac88eaaf385e6b33d44d849a44bdc3ae215676d5d7e0194dfe20d80c66e")
}

// UnpackInvalidConfigError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidConfig()
func (tokenSale *TokenSale) UnpackInvalidConfigError(raw []byte) (*TokenSaleInvalidConfig, error) {
	out := new(TokenSaleInvalidConfig)
	if err := tokenSale.abi.UnpackIntoInterface(out, "InvalidConfig", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleNothingToClaim represents a NothingToClaim error raised by the TokenSale contract.
type TokenSaleNothingToClaim struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NothingToClaim()
func TokenSaleNothingToClaimErrorID() common.Hash {
	return common.HexToHash("0x969bf7288f744225521096ebffff657851af77dd4c63700d76b8d1cf6481d1f1")
}

// UnpackNothingToClaimError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NothingToClaim()
func (tokenSale *TokenSale) UnpackNothingToClaimError(raw []byte) (*TokenSaleNothingToClaim, error) {
	out := new(TokenSaleNothingToClaim)
	if err := tokenSale.abi.UnpackIntoInterface(out, "NothingToClaim", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleOwnableInvalidOwner represents a OwnableInvalidOwner error raised by the TokenSale contract.
type TokenSaleOwnableInvalidOwner struct {
	Owner common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnableInvalidOwner(address owner)
func TokenSaleOwnableInvalidOwnerErrorID() common.Hash {
	return common.HexToHash("0x1e4fbdf7f3ef8bcaa855599e3abf48b232380f183f08f6f813d9ffa5bd585188")
}

// UnpackOwnableInvalidOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnableInvalidOwner(address owner)
func (tokenSale *TokenSale) UnpackOwnableInvalidOwnerError(raw []byte) (*TokenSaleOwnableInvalidOwner, error) {
	out := new(TokenSaleOwnableInvalidOwner)
	if err := tokenSale.abi.UnpackIntoInterface(out, "OwnableInvalidOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleOwnableUnauthorizedAccount represents a OwnableUnauthorizedAccount error raised by the TokenSale contract.
type TokenSaleOwnableUnauthorizedAccount struct {
	Account common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OwnableUnauthorizedAccount(address account)
func TokenSaleOwnableUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0x118cdaa7a341953d1887a2245fd6665d741c67c8c50581daa59e1d03373fa188")
}

// UnpackOwnableUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OwnableUnauthorizedAccount(address account)
func (tokenSale *TokenSale) UnpackOwnableUnauthorizedAccountError(raw []byte) (*TokenSaleOwnableUnauthorizedAccount, error) {
	out := new(TokenSaleOwnableUnauthorizedAccount)
	if err := tokenSale.abi.UnpackIntoInterface(out, "OwnableUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the TokenSale contract.
type TokenSaleReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func TokenSaleReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (tokenSale *TokenSale) UnpackReentrancyGuardReentrantCallError(raw []byte) (*TokenSaleReentrancyGuardReentrantCall, error) {
	out := new(TokenSaleReentrancyGuardReentrantCall)
	if err := tokenSale.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleSaleNotEnded represents a SaleNotEnded error raised by the TokenSale contract.
type TokenSaleSaleNotEnded struct {
	End uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SaleNotEnded(uint64 end)
func TokenSaleSaleNotEndedErrorID() common.Hash {
	return common.HexToHash("0x8523283f6479ca6895258857499944e108071e4f1ec6caa2012fc4fca1e28277")
}

// UnpackSaleNotEndedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SaleNotEnded(uint64 end)
func (tokenSale *TokenSale) UnpackSaleNotEndedError(raw []byte) (*TokenSaleSaleNotEnded, error) {
	out := new(TokenSaleSaleNotEnded)
	if err := tokenSale.abi.UnpackIntoInterface(out, "SaleNotEnded", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleSaleNotOpen represents a SaleNotOpen error raised by the TokenSale contract.
type TokenSaleSaleNotOpen struct {
	NowTime *big.Int
	Start   uint64
	End     uint64
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SaleNotOpen(uint256 nowTime, uint64 start, uint64 end)
func TokenSaleSaleNotOpenErrorID() common.Hash {
	return common.HexToHash("0x6eed5ef0ab93f4d37942cec87725a0fb5bac4cc8ca1ec386c851934a6bb1dbc9")
}

// UnpackSaleNotOpenError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SaleNotOpen(uint256 nowTime, uint64 start, uint64 end)
func (tokenSale *TokenSale) UnpackSaleNotOpenError(raw []byte) (*TokenSaleSaleNotOpen, error) {
	out := new(TokenSaleSaleNotOpen)
	if err := tokenSale.abi.UnpackIntoInterface(out, "SaleNotOpen", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleSoftCapNotReached represents a SoftCapNotReached error raised by the TokenSale contract.
type TokenSaleSoftCapNotReached struct {
	Raised  *big.Int
	SoftCap *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SoftCapNotReached(uint256 raised, uint256 softCap)
func TokenSaleSoftCapNotReachedErrorID() common.Hash {
	return common.HexToHash("0x39459b7976c3581c24873bd83a2710d55d8929c92ac60810dd3db135b106c865")
}

// UnpackSoftCapNotReachedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SoftCapNotReached(uint256 raised, uint256 softCap)
func (tokenSale *TokenSale) UnpackSoftCapNotReachedError(raw []byte) (*TokenSaleSoftCapNotReached, error) {
	out := new(TokenSaleSoftCapNotReached)
	if err := tokenSale.abi.UnpackIntoInterface(out, "SoftCapNotReached", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleSoftCapReached represents a SoftCapReached error raised by the TokenSale contract.
type TokenSaleSoftCapReached struct {
	Raised  *big.Int
	SoftCap *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SoftCapReached(uint256 raised, uint256 softCap)
func TokenSaleSoftCapReachedErrorID() common.Hash {
	return common.HexToHash("0xb43ca1b105f16771375b5b40a413666f837e4732dc6dd193f408c02736edac85")
}

// UnpackSoftCapReachedError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SoftCapReached(uint256 raised, uint256 softCap)
func (tokenSale *TokenSale) UnpackSoftCapReachedError(raw []byte) (*TokenSaleSoftCapReached, error) {
	out := new(TokenSaleSoftCapReached)
	if err := tokenSale.abi.UnpackIntoInterface(out, "SoftCapReached", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TokenSaleZeroPurchase represents a ZeroPurchase error raised by the TokenSale contract.
type TokenSaleZeroPurchase struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroPurchase()
func TokenSaleZeroPurchaseErrorID() common.Hash {
	return common.HexToHash("0x63d768ee042abd30269b28efa5887b527cb91c1178518b77756c51c2667108cf")
}

// UnpackZeroPurchaseError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroPurchase()
func (tokenSale *TokenSale) UnpackZeroPurchaseError(raw []byte) (*TokenSaleZeroPurchase, error) {
	out := new(TokenSaleZeroPurchase)
	if err := tokenSale.abi.UnpackIntoInterface(out, "ZeroPurchase", raw); err != nil {
		return nil, err
	}
	return out, nil
}
