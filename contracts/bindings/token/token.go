// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package token

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

// Dec2TokenMetaData contains all meta data concerning the Dec2Token contract.
var Dec2TokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"admin\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"supplyCap\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"AccessControlBadConfirmation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"neededRole\",\"type\":\"bytes32\"}],\"name\":\"AccessControlUnauthorizedAccount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ECDSAInvalidSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"}],\"name\":\"ECDSAInvalidSignatureLength\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"name\":\"ECDSAInvalidSignatureS\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"increasedSupply\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"cap\",\"type\":\"uint256\"}],\"name\":\"ERC20ExceededCap\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"allowance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"ERC20InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"ERC20InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"approver\",\"type\":\"address\"}],\"name\":\"ERC20InvalidApprover\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"cap\",\"type\":\"uint256\"}],\"name\":\"ERC20InvalidCap\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC20InvalidReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"ERC20InvalidSender\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"}],\"name\":\"ERC20InvalidSpender\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"ERC2612ExpiredSignature\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ERC2612InvalidSigner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"currentNonce\",\"type\":\"uint256\"}],\"name\":\"InvalidAccountNonce\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"previousAdminRole\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"newAdminRole\",\"type\":\"bytes32\"}],\"name\":\"RoleAdminChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleGranted\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"}],\"name\":\"RoleRevoked\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"DEFAULT_ADMIN_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"DOMAIN_SEPARATOR\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MINTER_ROLE\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"cap\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"}],\"name\":\"getRoleAdmin\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"grantRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"hasRole\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"nonces\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"name\":\"permit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"callerConfirmation\",\"type\":\"address\"}],\"name\":\"renounceRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"role\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"revokeRole\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes4\",\"name\":\"interfaceId\",\"type\":\"bytes4\"}],\"name\":\"supportsInterface\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "95d1c755cb5fcd016ec890b262a8bc3486",
	Bin: "0x610180604052348015610010575f5ffd5b506040516117c43803806117c483398101604081905261002f916102c6565b80604051806040016040528060048152602001633232b19960e11b81525080604051806040016040528060018152602001603160f81b815250604051806040016040528060048152602001633232b19960e11b815250604051806040016040528060048152602001632222a19960e11b81525081600390816100b191906103a0565b5060046100be82826103a0565b5050506100d0826101dc60201b60201c565b610120526100dd816101dc565b61014052815160208084019190912060e052815190820120610100524660a05261016960e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c052505f81900361019b5760405163392e1e2760e01b81525f60048201526024015b60405180910390fd5b610160526101a95f83610219565b506101d47f9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a683610219565b5050506104b6565b5f5f829050601f81511115610206578260405163305a27a960e01b8152600401610192919061045e565b805161021182610493565b179392505050565b5f8281526008602090815260408083206001600160a01b038516845290915281205460ff166102bd575f8381526008602090815260408083206001600160a01b03861684529091529020805460ff191660011790556102753390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a45060016102c0565b505f5b92915050565b5f5f604083850312156102d7575f5ffd5b82516001600160a01b03811681146102ed575f5ffd5b6020939093015192949293505050565b634e487b7160e01b5f52604160045260245ffd5b600181811c9082168061032557607f821691505b60208210810361034357634e487b7160e01b5f52602260045260245ffd5b50919050565b601f82111561039b578282111561039b57805f5260205f20601f840160051c602085101561037457505f5b90810190601f840160051c035f5b81811015610397575f83820155600101610382565b5050505b505050565b81516001600160401b038111156103b9576103b96102fd565b6103cd816103c78454610311565b84610349565b6020601f8211600181146103ff575f83156103e85750848201515b5f19600385901b1c1916600184901b178455610457565b5f84815260208120601f198516915b8281101561042e578785015182556020948501946001909201910161040e565b508482101561044b57868401515f19600387901b60f8161c191681555b505060018360011b0184555b5050505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b80516020808301519190811015610343575f1960209190910360031b1b16919050565b60805160a05160c05160e051610100516101205161014051610160516112ac6105185f395f81816102090152610dfc01525f610a8f01525f610a6401525f61096a01525f61094201525f61089d01525f6108c701525f6108f101526112ac5ff3fe608060405234801561000f575f5ffd5b5060043610610148575f3560e01c806340c10f19116100bf578063a217fddf11610079578063a217fddf146102cc578063a9059cbb146102d3578063d505accf146102e6578063d5391393146102f9578063d547741f14610320578063dd62ed3e14610333575f5ffd5b806340c10f191461024857806370a082311461025b5780637ecebe001461028357806384b0196e1461029657806391d14854146102b157806395d89b41146102c4575f5ffd5b8063248a9ca311610110578063248a9ca3146101c15780632f2ff15d146101e3578063313ce567146101f8578063355274ea146102075780633644e5151461022d57806336568abe14610235575f5ffd5b806301ffc9a71461014c57806306fdde0314610174578063095ea7b31461018957806318160ddd1461019c57806323b872dd146101ae575b5f5ffd5b61015f61015a366004610f9b565b61036b565b60405190151581526020015b60405180910390f35b61017c6103a1565b60405161016b9190610ff7565b61015f610197366004611024565b610431565b6002545b60405190815260200161016b565b61015f6101bc36600461104c565b610448565b6101a06101cf366004611086565b5f9081526008602052604090206001015490565b6101f66101f136600461109d565b61046b565b005b6040516012815260200161016b565b7f00000000000000000000000000000000000000000000000000000000000000006101a0565b6101a0610495565b6101f661024336600461109d565b6104a3565b6101f6610256366004611024565b6104db565b6101a06102693660046110c7565b6001600160a01b03165f9081526020819052604090205490565b6101a06102913660046110c7565b61050f565b61029e61052c565b60405161016b97969594939291906110e0565b61015f6102bf36600461109d565b61056e565b61017c610598565b6101a05f81565b61015f6102e1366004611024565b6105a7565b6101f66102f4366004611176565b6105b4565b6101a07f9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a681565b6101f661032e36600461109d565b6106ef565b6101a06103413660046111e3565b6001600160a01b039182165f90815260016020908152604080832093909416825291909152205490565b5f6001600160e01b03198216637965db0b60e01b148061039b57506301ffc9a760e01b6001600160e01b03198316145b92915050565b6060600380546103b09061120b565b80601f01602080910402602001604051908101604052809291908181526020018280546103dc9061120b565b80156104275780601f106103fe57610100808354040283529160200191610427565b820191905f5260205f20905b81548152906001019060200180831161040a57829003601f168201915b5050505050905090565b5f3361043e818585610713565b5060019392505050565b5f33610455858285610720565b610460858585610796565b506001949350505050565b5f82815260086020526040902060010154610485816107f3565b61048f8383610800565b50505050565b5f61049e610891565b905090565b6001600160a01b03811633146104cc5760405163334bd91960e11b815260040160405180910390fd5b6104d682826109ba565b505050565b7f9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6610505816107f3565b6104d68383610a25565b6001600160a01b0381165f9081526007602052604081205461039b565b5f6060805f5f5f606061053d610a5d565b610545610a88565b604080515f80825260208201909252600f60f81b9b939a50919850469750309650945092509050565b5f9182526008602090815260408084206001600160a01b0393909316845291905290205460ff1690565b6060600480546103b09061120b565b5f3361043e818585610796565b834211156105dd5760405163313c898160e11b8152600481018590526024015b60405180910390fd5b5f7f6e71edae12b1b97f4d1f60370fef10105fa2faae0126114a169c64845d6126c98888886106288c6001600160a01b03165f90815260076020526040902080546001810190915590565b6040805160208101969096526001600160a01b0394851690860152929091166060840152608083015260a082015260c0810186905260e0016040516020818303038152906040528051906020012090505f61068282610ab3565b90505f61069182878787610adf565b9050896001600160a01b0316816001600160a01b0316146106d8576040516325c0072360e11b81526001600160a01b0380831660048301528b1660248201526044016105d4565b6106e38a8a8a610713565b50505050505050505050565b5f82815260086020526040902060010154610709816107f3565b61048f83836109ba565b6104d68383836001610b0b565b6001600160a01b038381165f908152600160209081526040808320938616835292905220545f1981101561048f578181101561078857604051637dc7a0d960e11b81526001600160a01b038416600482015260248101829052604481018390526064016105d4565b61048f84848484035f610b0b565b6001600160a01b0383166107bf57604051634b637e8f60e11b81525f60048201526024016105d4565b6001600160a01b0382166107e85760405163ec442f0560e01b81525f60048201526024016105d4565b6104d6838383610bdd565b6107fd8133610be8565b50565b5f61080b838361056e565b61088a575f8381526008602090815260408083206001600160a01b03861684529091529020805460ff191660011790556108423390565b6001600160a01b0316826001600160a01b0316847f2f8788117e7eff1d82e926ec794901d17c78024a50270940304540a733656f0d60405160405180910390a450600161039b565b505f61039b565b5f306001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000161480156108e957507f000000000000000000000000000000000000000000000000000000000000000046145b1561091357507f000000000000000000000000000000000000000000000000000000000000000090565b61049e604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b5f6109c5838361056e565b1561088a575f8381526008602090815260408083206001600160a01b0386168085529252808320805460ff1916905551339286917ff6391f5c32d9c69d2a47ea670b442974b53935d1edc7fd64eb21e047a839171b9190a450600161039b565b6001600160a01b038216610a4e5760405163ec442f0560e01b81525f60048201526024016105d4565b610a595f8383610bdd565b5050565b606061049e7f0000000000000000000000000000000000000000000000000000000000000000610c21565b606061049e7f0000000000000000000000000000000000000000000000000000000000000000610c21565b5f61039b610abf610891565b8360405161190160f01b8152600281019290925260228201526042902090565b5f5f5f5f610aef88888888610c5e565b925092509250610aff8282610d26565b50909695505050505050565b6001600160a01b038416610b345760405163e602df0560e01b81525f60048201526024016105d4565b6001600160a01b038316610b5d57604051634a1406b160e11b81525f60048201526024016105d4565b6001600160a01b038085165f908152600160209081526040808320938716835292905220829055801561048f57826001600160a01b0316846001600160a01b03167f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92584604051610bcf91815260200190565b60405180910390a350505050565b6104d6838383610dde565b610bf2828261056e565b610a595760405163e2517d3f60e01b81526001600160a01b0382166004820152602481018390526044016105d4565b60605f610c2d83610e4e565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0841115610c9757505f91506003905082610d1c565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa158015610ce8573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b038116610d1357505f925060019150829050610d1c565b92505f91508190505b9450945094915050565b5f826003811115610d3957610d39611243565b03610d42575050565b6001826003811115610d5657610d56611243565b03610d745760405163f645eedf60e01b815260040160405180910390fd5b6002826003811115610d8857610d88611243565b03610da95760405163fce698f760e01b8152600481018290526024016105d4565b6003826003811115610dbd57610dbd611243565b03610a59576040516335e2f38360e21b8152600481018290526024016105d4565b610de9838383610e75565b6001600160a01b0383166104d6576002547f00000000000000000000000000000000000000000000000000000000000000009081811115610e475760405163279e7e1560e21b815260048101829052602481018390526044016105d4565b5050505050565b5f60ff8216601f81111561039b57604051632cd44ac360e21b815260040160405180910390fd5b6001600160a01b038316610e9f578060025f828254610e949190611257565b90915550610f0f9050565b6001600160a01b0383165f9081526020819052604090205481811015610ef15760405163391434e360e21b81526001600160a01b038516600482015260248101829052604481018390526064016105d4565b6001600160a01b0384165f9081526020819052604090209082900390555b6001600160a01b038216610f2b57600280548290039055610f49565b6001600160a01b0382165f9081526020819052604090208054820190555b816001600160a01b0316836001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef83604051610f8e91815260200190565b60405180910390a3505050565b5f60208284031215610fab575f5ffd5b81356001600160e01b031981168114610fc2575f5ffd5b9392505050565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b602081525f610fc26020830184610fc9565b80356001600160a01b038116811461101f575f5ffd5b919050565b5f5f60408385031215611035575f5ffd5b61103e83611009565b946020939093013593505050565b5f5f5f6060848603121561105e575f5ffd5b61106784611009565b925061107560208501611009565b929592945050506040919091013590565b5f60208284031215611096575f5ffd5b5035919050565b5f5f604083850312156110ae575f5ffd5b823591506110be60208401611009565b90509250929050565b5f602082840312156110d7575f5ffd5b610fc282611009565b60ff60f81b8816815260e060208201525f6110fe60e0830189610fc9565b82810360408401526111108189610fc9565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015611165578351835260209384019390920191600101611147565b50909b9a5050505050505050505050565b5f5f5f5f5f5f5f60e0888a03121561118c575f5ffd5b61119588611009565b96506111a360208901611009565b95506040880135945060608801359350608088013560ff811681146111c6575f5ffd5b9699959850939692959460a0840135945060c09093013592915050565b5f5f604083850312156111f4575f5ffd5b6111fd83611009565b91506110be60208401611009565b600181811c9082168061121f57607f821691505b60208210810361123d57634e487b7160e01b5f52602260045260245ffd5b50919050565b634e487b7160e01b5f52602160045260245ffd5b8082018082111561039b57634e487b7160e01b5f52601160045260245ffdfea2646970667358221220f9e206e83db9b720a86c499b817d0f99685ada61371e388d8795ea1f83fcad9864736f6c63430008250033",
}

// Dec2Token is an auto generated Go binding around an Ethereum contract.
type Dec2Token struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *Dec2Token) GetABI() abi.ABI {
	return c.abi
}

// NewDec2Token creates a new instance of Dec2Token.
func NewDec2Token() *Dec2Token {
	parsed, err := Dec2TokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &Dec2Token{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *Dec2Token) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address admin, uint256 supplyCap) returns()
func (dec2Token *Dec2Token) PackConstructor(admin common.Address, supplyCap *big.Int) []byte {
	enc, err := dec2Token.abi.Pack("", admin, supplyCap)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (dec2Token *Dec2Token) PackDEFAULTADMINROLE() []byte {
	enc, err := dec2Token.abi.Pack("DEFAULT_ADMIN_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDEFAULTADMINROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa217fddf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (dec2Token *Dec2Token) TryPackDEFAULTADMINROLE() ([]byte, error) {
	return dec2Token.abi.Pack("DEFAULT_ADMIN_ROLE")
}

// UnpackDEFAULTADMINROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa217fddf.
//
// Solidity: function DEFAULT_ADMIN_ROLE() view returns(bytes32)
func (dec2Token *Dec2Token) UnpackDEFAULTADMINROLE(data []byte) ([32]byte, error) {
	out, err := dec2Token.abi.Unpack("DEFAULT_ADMIN_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackDOMAINSEPARATOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3644e515.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (dec2Token *Dec2Token) PackDOMAINSEPARATOR() []byte {
	enc, err := dec2Token.abi.Pack("DOMAIN_SEPARATOR")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDOMAINSEPARATOR is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x3644e515.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (dec2Token *Dec2Token) TryPackDOMAINSEPARATOR() ([]byte, error) {
	return dec2Token.abi.Pack("DOMAIN_SEPARATOR")
}

// UnpackDOMAINSEPARATOR is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x3644e515.
//
// Solidity: function DOMAIN_SEPARATOR() view returns(bytes32)
func (dec2Token *Dec2Token) UnpackDOMAINSEPARATOR(data []byte) ([32]byte, error) {
	out, err := dec2Token.abi.Unpack("DOMAIN_SEPARATOR", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackMINTERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5391393.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MINTER_ROLE() view returns(bytes32)
func (dec2Token *Dec2Token) PackMINTERROLE() []byte {
	enc, err := dec2Token.abi.Pack("MINTER_ROLE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMINTERROLE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd5391393.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MINTER_ROLE() view returns(bytes32)
func (dec2Token *Dec2Token) TryPackMINTERROLE() ([]byte, error) {
	return dec2Token.abi.Pack("MINTER_ROLE")
}

// UnpackMINTERROLE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd5391393.
//
// Solidity: function MINTER_ROLE() view returns(bytes32)
func (dec2Token *Dec2Token) UnpackMINTERROLE(data []byte) ([32]byte, error) {
	out, err := dec2Token.abi.Unpack("MINTER_ROLE", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (dec2Token *Dec2Token) PackAllowance(owner common.Address, spender common.Address) []byte {
	enc, err := dec2Token.abi.Pack("allowance", owner, spender)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (dec2Token *Dec2Token) TryPackAllowance(owner common.Address, spender common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("allowance", owner, spender)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address owner, address spender) view returns(uint256)
func (dec2Token *Dec2Token) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := dec2Token.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (dec2Token *Dec2Token) PackApprove(spender common.Address, value *big.Int) []byte {
	enc, err := dec2Token.abi.Pack("approve", spender, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (dec2Token *Dec2Token) TryPackApprove(spender common.Address, value *big.Int) ([]byte, error) {
	return dec2Token.abi.Pack("approve", spender, value)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (dec2Token *Dec2Token) UnpackApprove(data []byte) (bool, error) {
	out, err := dec2Token.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (dec2Token *Dec2Token) PackBalanceOf(account common.Address) []byte {
	enc, err := dec2Token.abi.Pack("balanceOf", account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (dec2Token *Dec2Token) TryPackBalanceOf(account common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("balanceOf", account)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address account) view returns(uint256)
func (dec2Token *Dec2Token) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := dec2Token.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x355274ea.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function cap() view returns(uint256)
func (dec2Token *Dec2Token) PackCap() []byte {
	enc, err := dec2Token.abi.Pack("cap")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCap is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x355274ea.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function cap() view returns(uint256)
func (dec2Token *Dec2Token) TryPackCap() ([]byte, error) {
	return dec2Token.abi.Pack("cap")
}

// UnpackCap is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x355274ea.
//
// Solidity: function cap() view returns(uint256)
func (dec2Token *Dec2Token) UnpackCap(data []byte) (*big.Int, error) {
	out, err := dec2Token.abi.Unpack("cap", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (dec2Token *Dec2Token) PackDecimals() []byte {
	enc, err := dec2Token.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (dec2Token *Dec2Token) TryPackDecimals() ([]byte, error) {
	return dec2Token.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (dec2Token *Dec2Token) UnpackDecimals(data []byte) (uint8, error) {
	out, err := dec2Token.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackEip712Domain is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x84b0196e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (dec2Token *Dec2Token) PackEip712Domain() []byte {
	enc, err := dec2Token.abi.Pack("eip712Domain")
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
func (dec2Token *Dec2Token) TryPackEip712Domain() ([]byte, error) {
	return dec2Token.abi.Pack("eip712Domain")
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
func (dec2Token *Dec2Token) UnpackEip712Domain(data []byte) (Eip712DomainOutput, error) {
	out, err := dec2Token.abi.Unpack("eip712Domain", data)
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

// PackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (dec2Token *Dec2Token) PackGetRoleAdmin(role [32]byte) []byte {
	enc, err := dec2Token.abi.Pack("getRoleAdmin", role)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetRoleAdmin is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x248a9ca3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (dec2Token *Dec2Token) TryPackGetRoleAdmin(role [32]byte) ([]byte, error) {
	return dec2Token.abi.Pack("getRoleAdmin", role)
}

// UnpackGetRoleAdmin is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x248a9ca3.
//
// Solidity: function getRoleAdmin(bytes32 role) view returns(bytes32)
func (dec2Token *Dec2Token) UnpackGetRoleAdmin(data []byte) ([32]byte, error) {
	out, err := dec2Token.abi.Unpack("getRoleAdmin", data)
	if err != nil {
		return *new([32]byte), err
	}
	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)
	return out0, nil
}

// PackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (dec2Token *Dec2Token) PackGrantRole(role [32]byte, account common.Address) []byte {
	enc, err := dec2Token.abi.Pack("grantRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGrantRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2f2ff15d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function grantRole(bytes32 role, address account) returns()
func (dec2Token *Dec2Token) TryPackGrantRole(role [32]byte, account common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("grantRole", role, account)
}

// PackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (dec2Token *Dec2Token) PackHasRole(role [32]byte, account common.Address) []byte {
	enc, err := dec2Token.abi.Pack("hasRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackHasRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x91d14854.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (dec2Token *Dec2Token) TryPackHasRole(role [32]byte, account common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("hasRole", role, account)
}

// UnpackHasRole is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x91d14854.
//
// Solidity: function hasRole(bytes32 role, address account) view returns(bool)
func (dec2Token *Dec2Token) UnpackHasRole(data []byte) (bool, error) {
	out, err := dec2Token.abi.Unpack("hasRole", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (dec2Token *Dec2Token) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := dec2Token.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (dec2Token *Dec2Token) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return dec2Token.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (dec2Token *Dec2Token) PackName() []byte {
	enc, err := dec2Token.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (dec2Token *Dec2Token) TryPackName() ([]byte, error) {
	return dec2Token.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (dec2Token *Dec2Token) UnpackName(data []byte) (string, error) {
	out, err := dec2Token.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackNonces is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ecebe00.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function nonces(address owner) view returns(uint256)
func (dec2Token *Dec2Token) PackNonces(owner common.Address) []byte {
	enc, err := dec2Token.abi.Pack("nonces", owner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackNonces is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x7ecebe00.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function nonces(address owner) view returns(uint256)
func (dec2Token *Dec2Token) TryPackNonces(owner common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("nonces", owner)
}

// UnpackNonces is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x7ecebe00.
//
// Solidity: function nonces(address owner) view returns(uint256)
func (dec2Token *Dec2Token) UnpackNonces(data []byte) (*big.Int, error) {
	out, err := dec2Token.abi.Unpack("nonces", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd505accf.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) returns()
func (dec2Token *Dec2Token) PackPermit(owner common.Address, spender common.Address, value *big.Int, deadline *big.Int, v uint8, r [32]byte, s [32]byte) []byte {
	enc, err := dec2Token.abi.Pack("permit", owner, spender, value, deadline, v, r, s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd505accf.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) returns()
func (dec2Token *Dec2Token) TryPackPermit(owner common.Address, spender common.Address, value *big.Int, deadline *big.Int, v uint8, r [32]byte, s [32]byte) ([]byte, error) {
	return dec2Token.abi.Pack("permit", owner, spender, value, deadline, v, r, s)
}

// PackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (dec2Token *Dec2Token) PackRenounceRole(role [32]byte, callerConfirmation common.Address) []byte {
	enc, err := dec2Token.abi.Pack("renounceRole", role, callerConfirmation)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRenounceRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x36568abe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function renounceRole(bytes32 role, address callerConfirmation) returns()
func (dec2Token *Dec2Token) TryPackRenounceRole(role [32]byte, callerConfirmation common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("renounceRole", role, callerConfirmation)
}

// PackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (dec2Token *Dec2Token) PackRevokeRole(role [32]byte, account common.Address) []byte {
	enc, err := dec2Token.abi.Pack("revokeRole", role, account)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRevokeRole is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd547741f.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function revokeRole(bytes32 role, address account) returns()
func (dec2Token *Dec2Token) TryPackRevokeRole(role [32]byte, account common.Address) ([]byte, error) {
	return dec2Token.abi.Pack("revokeRole", role, account)
}

// PackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (dec2Token *Dec2Token) PackSupportsInterface(interfaceId [4]byte) []byte {
	enc, err := dec2Token.abi.Pack("supportsInterface", interfaceId)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSupportsInterface is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x01ffc9a7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (dec2Token *Dec2Token) TryPackSupportsInterface(interfaceId [4]byte) ([]byte, error) {
	return dec2Token.abi.Pack("supportsInterface", interfaceId)
}

// UnpackSupportsInterface is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x01ffc9a7.
//
// Solidity: function supportsInterface(bytes4 interfaceId) view returns(bool)
func (dec2Token *Dec2Token) UnpackSupportsInterface(data []byte) (bool, error) {
	out, err := dec2Token.abi.Unpack("supportsInterface", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (dec2Token *Dec2Token) PackSymbol() []byte {
	enc, err := dec2Token.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (dec2Token *Dec2Token) TryPackSymbol() ([]byte, error) {
	return dec2Token.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (dec2Token *Dec2Token) UnpackSymbol(data []byte) (string, error) {
	out, err := dec2Token.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (dec2Token *Dec2Token) PackTotalSupply() []byte {
	enc, err := dec2Token.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (dec2Token *Dec2Token) TryPackTotalSupply() ([]byte, error) {
	return dec2Token.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (dec2Token *Dec2Token) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := dec2Token.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (dec2Token *Dec2Token) PackTransfer(to common.Address, value *big.Int) []byte {
	enc, err := dec2Token.abi.Pack("transfer", to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (dec2Token *Dec2Token) TryPackTransfer(to common.Address, value *big.Int) ([]byte, error) {
	return dec2Token.abi.Pack("transfer", to, value)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (dec2Token *Dec2Token) UnpackTransfer(data []byte) (bool, error) {
	out, err := dec2Token.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (dec2Token *Dec2Token) PackTransferFrom(from common.Address, to common.Address, value *big.Int) []byte {
	enc, err := dec2Token.abi.Pack("transferFrom", from, to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (dec2Token *Dec2Token) TryPackTransferFrom(from common.Address, to common.Address, value *big.Int) ([]byte, error) {
	return dec2Token.abi.Pack("transferFrom", from, to, value)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (dec2Token *Dec2Token) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := dec2Token.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// Dec2TokenApproval represents a Approval event raised by the Dec2Token contract.
type Dec2TokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const Dec2TokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (Dec2TokenApproval) ContractEventName() string {
	return Dec2TokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (dec2Token *Dec2Token) UnpackApprovalEvent(log *types.Log) (*Dec2TokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dec2Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(Dec2TokenApproval)
	if len(log.Data) > 0 {
		if err := dec2Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dec2Token.abi.Events[event].Inputs {
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

// Dec2TokenEIP712DomainChanged represents a EIP712DomainChanged event raised by the Dec2Token contract.
type Dec2TokenEIP712DomainChanged struct {
	Raw *types.Log // Blockchain specific contextual infos
}

const Dec2TokenEIP712DomainChangedEventName = "EIP712DomainChanged"

// ContractEventName returns the user-defined event name.
func (Dec2TokenEIP712DomainChanged) ContractEventName() string {
	return Dec2TokenEIP712DomainChangedEventName
}

// UnpackEIP712DomainChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event EIP712DomainChanged()
func (dec2Token *Dec2Token) UnpackEIP712DomainChangedEvent(log *types.Log) (*Dec2TokenEIP712DomainChanged, error) {
	event := "EIP712DomainChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dec2Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(Dec2TokenEIP712DomainChanged)
	if len(log.Data) > 0 {
		if err := dec2Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dec2Token.abi.Events[event].Inputs {
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

// Dec2TokenRoleAdminChanged represents a RoleAdminChanged event raised by the Dec2Token contract.
type Dec2TokenRoleAdminChanged struct {
	Role              [32]byte
	PreviousAdminRole [32]byte
	NewAdminRole      [32]byte
	Raw               *types.Log // Blockchain specific contextual infos
}

const Dec2TokenRoleAdminChangedEventName = "RoleAdminChanged"

// ContractEventName returns the user-defined event name.
func (Dec2TokenRoleAdminChanged) ContractEventName() string {
	return Dec2TokenRoleAdminChangedEventName
}

// UnpackRoleAdminChangedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)
func (dec2Token *Dec2Token) UnpackRoleAdminChangedEvent(log *types.Log) (*Dec2TokenRoleAdminChanged, error) {
	event := "RoleAdminChanged"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dec2Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(Dec2TokenRoleAdminChanged)
	if len(log.Data) > 0 {
		if err := dec2Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dec2Token.abi.Events[event].Inputs {
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

// Dec2TokenRoleGranted represents a RoleGranted event raised by the Dec2Token contract.
type Dec2TokenRoleGranted struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const Dec2TokenRoleGrantedEventName = "RoleGranted"

// ContractEventName returns the user-defined event name.
func (Dec2TokenRoleGranted) ContractEventName() string {
	return Dec2TokenRoleGrantedEventName
}

// UnpackRoleGrantedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)
func (dec2Token *Dec2Token) UnpackRoleGrantedEvent(log *types.Log) (*Dec2TokenRoleGranted, error) {
	event := "RoleGranted"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dec2Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(Dec2TokenRoleGranted)
	if len(log.Data) > 0 {
		if err := dec2Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dec2Token.abi.Events[event].Inputs {
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

// Dec2TokenRoleRevoked represents a RoleRevoked event raised by the Dec2Token contract.
type Dec2TokenRoleRevoked struct {
	Role    [32]byte
	Account common.Address
	Sender  common.Address
	Raw     *types.Log // Blockchain specific contextual infos
}

const Dec2TokenRoleRevokedEventName = "RoleRevoked"

// ContractEventName returns the user-defined event name.
func (Dec2TokenRoleRevoked) ContractEventName() string {
	return Dec2TokenRoleRevokedEventName
}

// UnpackRoleRevokedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)
func (dec2Token *Dec2Token) UnpackRoleRevokedEvent(log *types.Log) (*Dec2TokenRoleRevoked, error) {
	event := "RoleRevoked"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dec2Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(Dec2TokenRoleRevoked)
	if len(log.Data) > 0 {
		if err := dec2Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dec2Token.abi.Events[event].Inputs {
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

// Dec2TokenTransfer represents a Transfer event raised by the Dec2Token contract.
type Dec2TokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const Dec2TokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (Dec2TokenTransfer) ContractEventName() string {
	return Dec2TokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (dec2Token *Dec2Token) UnpackTransferEvent(log *types.Log) (*Dec2TokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != dec2Token.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(Dec2TokenTransfer)
	if len(log.Data) > 0 {
		if err := dec2Token.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range dec2Token.abi.Events[event].Inputs {
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
func (dec2Token *Dec2Token) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["AccessControlBadConfirmation"].ID.Bytes()[:4]) {
		return dec2Token.UnpackAccessControlBadConfirmationError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["AccessControlUnauthorizedAccount"].ID.Bytes()[:4]) {
		return dec2Token.UnpackAccessControlUnauthorizedAccountError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ECDSAInvalidSignature"].ID.Bytes()[:4]) {
		return dec2Token.UnpackECDSAInvalidSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ECDSAInvalidSignatureLength"].ID.Bytes()[:4]) {
		return dec2Token.UnpackECDSAInvalidSignatureLengthError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ECDSAInvalidSignatureS"].ID.Bytes()[:4]) {
		return dec2Token.UnpackECDSAInvalidSignatureSError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20ExceededCap"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20ExceededCapError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InsufficientAllowance"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InsufficientBalance"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InvalidApprover"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InvalidApproverError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InvalidCap"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InvalidCapError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InvalidReceiver"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InvalidReceiverError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InvalidSender"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InvalidSenderError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC20InvalidSpender"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC20InvalidSpenderError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC2612ExpiredSignature"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC2612ExpiredSignatureError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["ERC2612InvalidSigner"].ID.Bytes()[:4]) {
		return dec2Token.UnpackERC2612InvalidSignerError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["InvalidAccountNonce"].ID.Bytes()[:4]) {
		return dec2Token.UnpackInvalidAccountNonceError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["InvalidShortString"].ID.Bytes()[:4]) {
		return dec2Token.UnpackInvalidShortStringError(raw[4:])
	}
	if bytes.Equal(raw[:4], dec2Token.abi.Errors["StringTooLong"].ID.Bytes()[:4]) {
		return dec2Token.UnpackStringTooLongError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// Dec2TokenAccessControlBadConfirmation represents a AccessControlBadConfirmation error raised by the Dec2Token contract.
type Dec2TokenAccessControlBadConfirmation struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlBadConfirmation()
func Dec2TokenAccessControlBadConfirmationErrorID() common.Hash {
	return common.HexToHash("0x6697b23232a647058342c0724fe7c415cab25915b54e5dbc03f233173d37b41c")
}

// UnpackAccessControlBadConfirmationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlBadConfirmation()
func (dec2Token *Dec2Token) UnpackAccessControlBadConfirmationError(raw []byte) (*Dec2TokenAccessControlBadConfirmation, error) {
	out := new(Dec2TokenAccessControlBadConfirmation)
	if err := dec2Token.abi.UnpackIntoInterface(out, "AccessControlBadConfirmation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenAccessControlUnauthorizedAccount represents a AccessControlUnauthorizedAccount error raised by the Dec2Token contract.
type Dec2TokenAccessControlUnauthorizedAccount struct {
	Account    common.Address
	NeededRole [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func Dec2TokenAccessControlUnauthorizedAccountErrorID() common.Hash {
	return common.HexToHash("0xe2517d3fbfae6f8515ef5ff1ccedc3933ab0cbbda0b492c06eb54ad10ef03b3e")
}

// UnpackAccessControlUnauthorizedAccountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)
func (dec2Token *Dec2Token) UnpackAccessControlUnauthorizedAccountError(raw []byte) (*Dec2TokenAccessControlUnauthorizedAccount, error) {
	out := new(Dec2TokenAccessControlUnauthorizedAccount)
	if err := dec2Token.abi.UnpackIntoInterface(out, "AccessControlUnauthorizedAccount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenECDSAInvalidSignature represents a ECDSAInvalidSignature error raised by the Dec2Token contract.
type Dec2TokenECDSAInvalidSignature struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignature()
func Dec2TokenECDSAInvalidSignatureErrorID() common.Hash {
	return common.HexToHash("0xf645eedf0193584640b6b90cb9477e4c95b98636c148a891d4c0a146dc46e75a")
}

// UnpackECDSAInvalidSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignature()
func (dec2Token *Dec2Token) UnpackECDSAInvalidSignatureError(raw []byte) (*Dec2TokenECDSAInvalidSignature, error) {
	out := new(Dec2TokenECDSAInvalidSignature)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ECDSAInvalidSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenECDSAInvalidSignatureLength represents a ECDSAInvalidSignatureLength error raised by the Dec2Token contract.
type Dec2TokenECDSAInvalidSignatureLength struct {
	Length *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignatureLength(uint256 length)
func Dec2TokenECDSAInvalidSignatureLengthErrorID() common.Hash {
	return common.HexToHash("0xfce698f7e8e5342cd615f641317bc45fe7e1e4a8b0a14dd1383ff8dc9c41917f")
}

// UnpackECDSAInvalidSignatureLengthError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignatureLength(uint256 length)
func (dec2Token *Dec2Token) UnpackECDSAInvalidSignatureLengthError(raw []byte) (*Dec2TokenECDSAInvalidSignatureLength, error) {
	out := new(Dec2TokenECDSAInvalidSignatureLength)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ECDSAInvalidSignatureLength", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenECDSAInvalidSignatureS represents a ECDSAInvalidSignatureS error raised by the Dec2Token contract.
type Dec2TokenECDSAInvalidSignatureS struct {
	S [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ECDSAInvalidSignatureS(bytes32 s)
func Dec2TokenECDSAInvalidSignatureSErrorID() common.Hash {
	return common.HexToHash("0xd78bce0cccb935155ed6428d1c13e50b7f3550fd2b66b9fe266006fea4a5e1eb")
}

// UnpackECDSAInvalidSignatureSError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ECDSAInvalidSignatureS(bytes32 s)
func (dec2Token *Dec2Token) UnpackECDSAInvalidSignatureSError(raw []byte) (*Dec2TokenECDSAInvalidSignatureS, error) {
	out := new(Dec2TokenECDSAInvalidSignatureS)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ECDSAInvalidSignatureS", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20ExceededCap represents a ERC20ExceededCap error raised by the Dec2Token contract.
type Dec2TokenERC20ExceededCap struct {
	IncreasedSupply *big.Int
	Cap             *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20ExceededCap(uint256 increasedSupply, uint256 cap)
func Dec2TokenERC20ExceededCapErrorID() common.Hash {
	return common.HexToHash("0x9e79f854e7e443a7e81774a004f97452fde67fc40f1ae7a0ecb8c360c4f564ac")
}

// UnpackERC20ExceededCapError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20ExceededCap(uint256 increasedSupply, uint256 cap)
func (dec2Token *Dec2Token) UnpackERC20ExceededCapError(raw []byte) (*Dec2TokenERC20ExceededCap, error) {
	out := new(Dec2TokenERC20ExceededCap)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20ExceededCap", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InsufficientAllowance represents a ERC20InsufficientAllowance error raised by the Dec2Token contract.
type Dec2TokenERC20InsufficientAllowance struct {
	Spender   common.Address
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func Dec2TokenERC20InsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0xfb8f41b23e99d2101d86da76cdfa87dd51c82ed07d3cb62cbc473e469dbc75c3")
}

// UnpackERC20InsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func (dec2Token *Dec2Token) UnpackERC20InsufficientAllowanceError(raw []byte) (*Dec2TokenERC20InsufficientAllowance, error) {
	out := new(Dec2TokenERC20InsufficientAllowance)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InsufficientBalance represents a ERC20InsufficientBalance error raised by the Dec2Token contract.
type Dec2TokenERC20InsufficientBalance struct {
	Sender  common.Address
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func Dec2TokenERC20InsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xe450d38cd8d9f7d95077d567d60ed49c7254716e6ad08fc9872816c97e0ffec6")
}

// UnpackERC20InsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func (dec2Token *Dec2Token) UnpackERC20InsufficientBalanceError(raw []byte) (*Dec2TokenERC20InsufficientBalance, error) {
	out := new(Dec2TokenERC20InsufficientBalance)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InvalidApprover represents a ERC20InvalidApprover error raised by the Dec2Token contract.
type Dec2TokenERC20InvalidApprover struct {
	Approver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidApprover(address approver)
func Dec2TokenERC20InvalidApproverErrorID() common.Hash {
	return common.HexToHash("0xe602df05cc75712490294c6c104ab7c17f4030363910a7a2626411c6d3118847")
}

// UnpackERC20InvalidApproverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidApprover(address approver)
func (dec2Token *Dec2Token) UnpackERC20InvalidApproverError(raw []byte) (*Dec2TokenERC20InvalidApprover, error) {
	out := new(Dec2TokenERC20InvalidApprover)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InvalidApprover", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InvalidCap represents a ERC20InvalidCap error raised by the Dec2Token contract.
type Dec2TokenERC20InvalidCap struct {
	Cap *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidCap(uint256 cap)
func Dec2TokenERC20InvalidCapErrorID() common.Hash {
	return common.HexToHash("0x392e1e27cbe1cbe0653ae0435ec8f503f6a25b76c3c7164a5cacb005b0b68677")
}

// UnpackERC20InvalidCapError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidCap(uint256 cap)
func (dec2Token *Dec2Token) UnpackERC20InvalidCapError(raw []byte) (*Dec2TokenERC20InvalidCap, error) {
	out := new(Dec2TokenERC20InvalidCap)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InvalidCap", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InvalidReceiver represents a ERC20InvalidReceiver error raised by the Dec2Token contract.
type Dec2TokenERC20InvalidReceiver struct {
	Receiver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func Dec2TokenERC20InvalidReceiverErrorID() common.Hash {
	return common.HexToHash("0xec442f055133b72f3b2f9f0bb351c406b178527de2040a7d1feb4e058771f613")
}

// UnpackERC20InvalidReceiverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func (dec2Token *Dec2Token) UnpackERC20InvalidReceiverError(raw []byte) (*Dec2TokenERC20InvalidReceiver, error) {
	out := new(Dec2TokenERC20InvalidReceiver)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InvalidReceiver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InvalidSender represents a ERC20InvalidSender error raised by the Dec2Token contract.
type Dec2TokenERC20InvalidSender struct {
	Sender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidSender(address sender)
func Dec2TokenERC20InvalidSenderErrorID() common.Hash {
	return common.HexToHash("0x96c6fd1edd0cd6ef7ff0ecc0facdf53148dc0048b57fe58af65755250a7a96bd")
}

// UnpackERC20InvalidSenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidSender(address sender)
func (dec2Token *Dec2Token) UnpackERC20InvalidSenderError(raw []byte) (*Dec2TokenERC20InvalidSender, error) {
	out := new(Dec2TokenERC20InvalidSender)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InvalidSender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC20InvalidSpender represents a ERC20InvalidSpender error raised by the Dec2Token contract.
type Dec2TokenERC20InvalidSpender struct {
	Spender common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidSpender(address spender)
func Dec2TokenERC20InvalidSpenderErrorID() common.Hash {
	return common.HexToHash("0x94280d62c347d8d9f4d59a76ea321452406db88df38e0c9da304f58b57b373a2")
}

// UnpackERC20InvalidSpenderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidSpender(address spender)
func (dec2Token *Dec2Token) UnpackERC20InvalidSpenderError(raw []byte) (*Dec2TokenERC20InvalidSpender, error) {
	out := new(Dec2TokenERC20InvalidSpender)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC20InvalidSpender", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC2612ExpiredSignature represents a ERC2612ExpiredSignature error raised by the Dec2Token contract.
type Dec2TokenERC2612ExpiredSignature struct {
	Deadline *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC2612ExpiredSignature(uint256 deadline)
func Dec2TokenERC2612ExpiredSignatureErrorID() common.Hash {
	return common.HexToHash("0x627913023c184eaad13735d5a3d2657ae76ec9a872a70e0fc57522ef1a114d58")
}

// UnpackERC2612ExpiredSignatureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC2612ExpiredSignature(uint256 deadline)
func (dec2Token *Dec2Token) UnpackERC2612ExpiredSignatureError(raw []byte) (*Dec2TokenERC2612ExpiredSignature, error) {
	out := new(Dec2TokenERC2612ExpiredSignature)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC2612ExpiredSignature", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenERC2612InvalidSigner represents a ERC2612InvalidSigner error raised by the Dec2Token contract.
type Dec2TokenERC2612InvalidSigner struct {
	Signer common.Address
	Owner  common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC2612InvalidSigner(address signer, address owner)
func Dec2TokenERC2612InvalidSignerErrorID() common.Hash {
	return common.HexToHash("0x4b800e463b323b1d856edf9dec70329a639d13874a57f5c28219ff57128756db")
}

// UnpackERC2612InvalidSignerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC2612InvalidSigner(address signer, address owner)
func (dec2Token *Dec2Token) UnpackERC2612InvalidSignerError(raw []byte) (*Dec2TokenERC2612InvalidSigner, error) {
	out := new(Dec2TokenERC2612InvalidSigner)
	if err := dec2Token.abi.UnpackIntoInterface(out, "ERC2612InvalidSigner", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenInvalidAccountNonce represents a InvalidAccountNonce error raised by the Dec2Token contract.
type Dec2TokenInvalidAccountNonce struct {
	Account      common.Address
	CurrentNonce *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidAccountNonce(address account, uint256 currentNonce)
func Dec2TokenInvalidAccountNonceErrorID() common.Hash {
	return common.HexToHash("0x752d88c0de02638abf10e8e31861e4c68dc1f3a1e7d840e580683f2c282bfc7a")
}

// UnpackInvalidAccountNonceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidAccountNonce(address account, uint256 currentNonce)
func (dec2Token *Dec2Token) UnpackInvalidAccountNonceError(raw []byte) (*Dec2TokenInvalidAccountNonce, error) {
	out := new(Dec2TokenInvalidAccountNonce)
	if err := dec2Token.abi.UnpackIntoInterface(out, "InvalidAccountNonce", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenInvalidShortString represents a InvalidShortString error raised by the Dec2Token contract.
type Dec2TokenInvalidShortString struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InvalidShortString()
func Dec2TokenInvalidShortStringErrorID() common.Hash {
	return common.HexToHash("0xb3512b0c6163e5f0bafab72bb631b9d58cd7a731b082f910338aa21c83d5c274")
}

// UnpackInvalidShortStringError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InvalidShortString()
func (dec2Token *Dec2Token) UnpackInvalidShortStringError(raw []byte) (*Dec2TokenInvalidShortString, error) {
	out := new(Dec2TokenInvalidShortString)
	if err := dec2Token.abi.UnpackIntoInterface(out, "InvalidShortString", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// Dec2TokenStringTooLong represents a StringTooLong error raised by the Dec2Token contract.
type Dec2TokenStringTooLong struct {
	Str string
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StringTooLong(string str)
func Dec2TokenStringTooLongErrorID() common.Hash {
	return common.HexToHash("0x305a27a93f8e33b7392df0a0f91d6fc63847395853c45991eec52dbf24d72381")
}

// UnpackStringTooLongError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StringTooLong(string str)
func (dec2Token *Dec2Token) UnpackStringTooLongError(raw []byte) (*Dec2TokenStringTooLong, error) {
	out := new(Dec2TokenStringTooLong)
	if err := dec2Token.abi.UnpackIntoInterface(out, "StringTooLong", raw); err != nil {
		return nil, err
	}
	return out, nil
}
