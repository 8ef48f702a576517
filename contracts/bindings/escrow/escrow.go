// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package escrow

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

// StreamEscrowAccountView is an auto generated low-level Go binding around an user-defined struct.
type StreamEscrowAccountView struct {
	Balance        *big.Int
	Owed           *big.Int
	Refundable     *big.Int
	Rate           *big.Int
	InsolventSince uint64
}

// StreamEscrowStreamView is an auto generated low-level Go binding around an user-defined struct.
type StreamEscrowStreamView struct {
	Consumer  common.Address
	Provider  common.Address
	Rate      *big.Int
	Start     uint64
	SettledAt uint64
	End       uint64
	HaltedAt  uint64
	Owed      *big.Int
}

// StreamEscrowMetaData contains all meta data concerning the StreamEscrow contract.
var StreamEscrowMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"token_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"}],\"name\":\"EndOutOfRange\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"requested\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"refundable\",\"type\":\"uint256\"}],\"name\":\"ExceedsRefundable\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"InsufficientDeposit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOperator\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotOperatorOrProvider\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotProvider\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"bits\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"SafeCastOverflowedUintDowncast\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"}],\"name\":\"StartInFuture\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"nowTime\",\"type\":\"uint256\"}],\"name\":\"StartTooOld\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"StreamClosedAlready\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"StreamExists\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"UnknownStream\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroKey\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroRate\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"since\",\"type\":\"uint64\"}],\"name\":\"Insolvent\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"OperatorSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"StreamClosed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"rate\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"}],\"name\":\"StreamOpened\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"settledTo\",\"type\":\"uint64\"}],\"name\":\"StreamSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_BACKDATE\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"closeStream\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint8\",\"name\":\"v\",\"type\":\"uint8\"},{\"internalType\":\"bytes32\",\"name\":\"r\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"s\",\"type\":\"bytes32\"}],\"name\":\"depositWithPermit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"}],\"name\":\"getAccount\",\"outputs\":[{\"components\":[{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"owed\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"refundable\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"rate\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"insolventSince\",\"type\":\"uint64\"}],\"internalType\":\"structStreamEscrow.AccountView\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"getStream\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"rate\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"settledAt\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"haltedAt\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"owed\",\"type\":\"uint256\"}],\"internalType\":\"structStreamEscrow.StreamView\",\"name\":\"v\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"}],\"name\":\"insolventSince\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"}],\"name\":\"isOperator\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"},{\"internalType\":\"address\",\"name\":\"consumer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"rate\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"}],\"name\":\"openStream\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"operator\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"approved\",\"type\":\"bool\"}],\"name\":\"setOperator\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32[]\",\"name\":\"keys\",\"type\":\"bytes32[]\"},{\"internalType\":\"uint64\",\"name\":\"until\",\"type\":\"uint64\"}],\"name\":\"settleMany\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"streamExists\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"bytes32\",\"name\":\"key\",\"type\":\"bytes32\"}],\"name\":\"withdrawFromStream\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "83b032de1da24f52ae5871fbeb0b2ae262",
	Bin: "0x60a060405234801561000f575f5ffd5b5060405161228738038061228783398101604081905261002e91610066565b6001600160a01b0381166100555760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b0316608052610093565b5f60208284031215610076575f5ffd5b81516001600160a01b038116811461008c575f5ffd5b9392505050565b6080516121c06100c75f395f81816102be01528181610da301528181610e12015281816118250152611c7601526121c05ff3fe608060405234801561000f575f5ffd5b50600436106100f0575f3560e01c80634a970be711610093578063b6363cf211610063578063b6363cf21461021c578063b6b55f2514610249578063fbcbc0f11461025c578063fc0c546a146102b9575f5ffd5b80634a970be7146101cc578063558a7297146101df57806367529fd0146101f2578063b6019ca714610205575f5ffd5b80631290abe8116100ce5780631290abe81461014c5780632c19f6691461016c5780632e1a7d4d1461017f578063408e1aeb14610192575f5ffd5b80630c831b53146100f45780630d27cb2c146101095780630ded483114610139575b5f5ffd5b610107610102366004611e05565b6102f8565b005b61011c610117366004611e98565b6103d0565b6040516001600160401b0390911681526020015b60405180910390f35b610107610147366004611eb1565b61046e565b61015f61015a366004611eb1565b610528565b6040516101309190611ec8565b61010761017a366004611f66565b6107be565b61010761018d366004611eb1565b610ca2565b6101bc6101a0366004611eb1565b5f908152600160205260409020546001600160a01b0316151590565b6040519015158152602001610130565b6101076101da366004611fb9565b610dca565b6101076101ed366004612003565b610e86565b61010761020036600461203c565b610f18565b61020e610e1081565b604051908152602001610130565b6101bc61022a366004612066565b600360209081525f928352604080842090915290825290205460ff1681565b610107610257366004611eb1565b611244565b61026f61026a366004611e98565b61125e565b60405161013091905f60a082019050825182526020830151602083015260408301516040830152606083015160608301526001600160401b03608084015116608083015292915050565b6102e07f000000000000000000000000000000000000000000000000000000000000000081565b6040516001600160a01b039091168152602001610130565b6103006113a4565b5f5b828110156103c2575f84848381811061031d5761031d61208e565b602090810292909201355f818152600190935260409092208054929350916001600160a01b031690508061036c57604051637851844960e01b8152600481018490526024015b60405180910390fd5b5f610376826113db565b90505f610384848385611616565b90506103b28585858a6001600160401b031685106103ab578a6001600160401b03166116b1565b845b6116b1565b5050505050806001019050610302565b506103cb611857565b505050565b6001600160a01b0381165f90815260208181526040808320815160c08101835281546001600160601b038082168352600160601b808304821696840196909652600160c01b820464ffffffffff90811695840195909552600160e81b90910461ffff16606083015260019092015491821660808201529290041660a0820152819061045b9042611881565b5060a0015164ffffffffff169392505050565b6104766113a4565b5f81815260016020526040902080546001600160a01b03166104ae57604051637851844960e01b815260048101839052602401610363565b60018101546001600160a01b031633146104e457604051633a5187b560e01b815260048101839052336024820152604401610363565b80545f906104fa906001600160a01b03166113db565b825490915061051b90849084906001600160a01b03166103ad828683611616565b5050610525611857565b50565b60408051610100810182525f80825260208201819052918101829052606081018290526080810182905260a0810182905260c0810182905260e08101919091525f82815260016020818152604092839020835160e08101855281546001600160a01b03808216808452600160a01b8084046001600160581b031696850196909652600160f81b90920460ff161515968301969096529190930154938416606084015290830464ffffffffff9081166080840152600160c81b84041660a0830152600160f01b90920461ffff1660c0820152906106045750919050565b80516001600160a01b03165f90815260208181526040808320815160c08101835281546001600160601b038082168352600160601b808304821696840196909652600160c01b820464ffffffffff90811695840195909552600160e81b90910461ffff16606083015260019092015491821660808201529290041660a082015281906106909042611881565b915091505f6106a4848484875f01516119f9565b9050604051806101000160405280855f01516001600160a01b0316815260200185606001516001600160a01b0316815260200185602001516001600160581b03168152602001856080015164ffffffffff166001600160401b031681526020018560a0015164ffffffffff166001600160401b03168152602001856040015161072d575f610733565b8560a001515b64ffffffffff166001600160401b03168152602001610757868686895f0151611a4f565b64ffffffffff166001600160401b031681526020018560a0015164ffffffffff168311610784575f6107b2565b60a086015161079a9064ffffffffff16846120b6565b86602001516001600160581b03166107b291906120cf565b90529695505050505050565b336001600160a01b038516148015906107fa57506001600160a01b0384165f90815260036020908152604080832033845290915290205460ff16155b15610829576040516311ce341560e21b81526001600160a01b0385166004820152336024820152604401610363565b8461084757604051637dec24e360e11b815260040160405180910390fd5b6001600160a01b038316158061086457506001600160a01b038416155b156108825760405163d92e233d60e01b815260040160405180910390fd5b815f036108a2576040516314cee7cd60e11b815260040160405180910390fd5b5f858152600160205260409020546001600160a01b0316156108da576040516349c5445560e01b815260048101869052602401610363565b806001600160401b03165f036108ed5750425b42816001600160401b031611156109285760405163be47787160e01b81526001600160401b0382166004820152426024820152604401610363565b610e1061093e6001600160401b038316426120b6565b111561096e5760405163dcca03f160e01b81526001600160401b0382166004820152426024820152604401610363565b5f610978856113db565b90505f8382608001516001600160601b031661099491906120e6565b90505f6109aa6001600160401b038516426120b6565b6109b490866120cf565b90505f8360200151845f01516109ca91906120f9565b6001600160601b031690506109df83836120e6565b811015610a1357806109f184846120e6565b6040516312e1fa3760e11b815260048101929092526024820152604401610363565b6001600160a01b0388165f9081526020818152604090912090850151610a439084906001600160601b03166120e6565b81546001600160601b0391909116600160601b026bffffffffffffffffffffffff60601b19909116178155610a7784611ae6565b816001015f6101000a8154816001600160601b0302191690836001600160601b031602179055506040518060e001604052808a6001600160a01b03168152602001610ac189611b1d565b6001600160581b031681526020015f15158152602001896001600160a01b031681526020018764ffffffffff1681526020018764ffffffffff168152602001866060015161ffff1681525060015f8c81526020019081526020015f205f820151815f015f6101000a8154816001600160a01b0302191690836001600160a01b031602179055506020820151815f0160146101000a8154816001600160581b0302191690836001600160581b031602179055506040820151815f01601f6101000a81548160ff0219169083151502179055506060820151816001015f6101000a8154816001600160a01b0302191690836001600160a01b0316021790555060808201518160010160146101000a81548164ffffffffff021916908364ffffffffff16021790555060a08201518160010160196101000a81548164ffffffffff021916908364ffffffffff16021790555060c082015181600101601e6101000a81548161ffff021916908361ffff160217905550905050876001600160a01b0316896001600160a01b03168b7fc5bbe622855452a035a2bda87656d606faf009e62bdb9ba4d0bade09ddea73298a8a604051610c8e9291909182526001600160401b0316602082015260400190565b60405180910390a450505050505050505050565b610caa6113a4565b805f03610cca57604051631f2a200560e01b815260040160405180910390fd5b5f610cd4336113db565b90505f8160200151825f0151610cea91906120f9565b6001600160601b0316905080831115610d20576040516375718ba760e01b81526004810184905260248101829052604401610363565b8151610d369084906001600160601b03166120b6565b335f818152602081815260409182902080546001600160601b0319166001600160601b0395909516949094179093555185815290917f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5910160405180910390a261051b6001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000163385611b50565b610dd26113a4565b60405163d505accf60e01b8152336004820152306024820152604481018690526064810185905260ff8416608482015260a4810183905260c481018290527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169063d505accf9060e4015f604051808303815f87803b158015610e5b575f5ffd5b505af1925050508015610e6c575060015b50610e773386611b85565b610e7f611857565b5050505050565b6001600160a01b038216610ead5760405163d92e233d60e01b815260040160405180910390fd5b335f8181526003602090815260408083206001600160a01b03871680855290835292819020805460ff191686151590811790915590519081529192917fceb576d9f15e4e200fdb5096d64d5dfd667e16def20c1eefd14256d8e3faa267910160405180910390a35050565b610f206113a4565b5f82815260016020526040902080546001600160a01b031680610f5957604051637851844960e01b815260048101859052602401610363565b60018201546001600160a01b03163314801590610f7f5750336001600160a01b03821614155b8015610fae57506001600160a01b0381165f90815260036020908152604080832033845290915290205460ff16155b15610fd55760405163619f428360e01b815260048101859052336024820152604401610363565b8154600160f81b900460ff16156110025760405163f531f79d60e01b815260048101859052602401610363565b6001820154600160a01b900464ffffffffff166001600160401b0384161080611033575042836001600160401b0316115b1561107b576001820154604051637d08896560e01b81526001600160401b0385166004820152600160a01b90910464ffffffffff166024820152426044820152606401610363565b5f611085826113db565b90505f611093848385611616565b60018501549091505f90600160c81b900464ffffffffff166001600160401b038716106110c057856110d4565b6001850154600160c81b900464ffffffffff165b6001600160401b03169050818111156110ea5750805b5f6110f582846120b6565b86546111119190600160a01b90046001600160581b03166120cf565b6001600160a01b0386165f9081526020818152604090912090860151919250906111459083906001600160601b03166120b6565b81546001600160601b0391909116600160601b026bffffffffffffffffffffffff60601b199091161781556060850151600188015461ffff918216600160f01b909104909116036111d457865460808601516111b191600160a01b90046001600160581b0316906120f9565b6001820180546001600160601b0319166001600160601b03929092169190911790555b86546001600160f81b0316600160f81b1787556040516001600160401b038416815289907fbfbfda39a729491a666a652a41ea2fc0a1ed6b8ab7e9fc1bbf8c05b5aeb102389060200160405180910390a2611231898888866116b1565b50505050505050611240611857565b5050565b61124c6113a4565b6112563382611b85565b610525611857565b6112946040518060a001604052805f81526020015f81526020015f81526020015f81526020015f6001600160401b031681525090565b6001600160a01b0382165f90815260208181526040808320815160c08101835281546001600160601b038082168352600160601b808304821696840196909652600160c01b820464ffffffffff90811695840195909552600160e81b90910461ffff16606083015260019092015491821660808201529290041660a082015261131d9042611881565b5090506040518060a00160405280825f01516001600160601b0316815260200182602001516001600160601b031681526020018260200151835f015161136391906120f9565b6001600160601b0316815260200182608001516001600160601b031681526020018260a0015164ffffffffff166001600160401b0316815250915050919050565b6113ac611c9e565b6113d960017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b90611cde565b565b6040805160c0810182525f80825260208201819052918101829052606081018290526080810182905260a0810191909152506001600160a01b0381165f9081526020818152604091829020825160c08101845281546001600160601b038082168352600160601b808304821695840195909552600160c01b820464ffffffffff908116968401879052600160e81b90920461ffff16606084015260019093015492831660808301529290910490911660a08201529042900361149c57919050565b5f6114a78242611881565b909250905064ffffffffff81161561154d576001600160a01b0383165f90815260026020526040812060608401518392906114e490600190612118565b61ffff16815260208082019290925260409081015f20805464ffffffffff191664ffffffffff9485161790555191831682526001600160a01b038516917fc69c5534a046733db1209dd99858cc270135ebb7d8511da3f4a6eadd79bd5cf9910160405180910390a25b506001600160a01b039091165f9081526020818152604091829020835181549285015193850151606086015161ffff16600160e81b0261ffff60e81b1964ffffffffff928316600160c01b021666ffffffffffffff60c01b196001600160601b03978816600160601b9081026001600160c01b03199098169589169590951796909617959095169490941793909317825560808501516001909201805460a087015190941690910270ffffffffffffffffffffffffffffffffff19909316919093161717905590565b82545f90600160f81b900460ff161561164257506001830154600160c81b900464ffffffffff166116aa565b5060608201516001840154429161ffff908116600160f01b90920416146116aa576001600160a01b0382165f9081526002602090815260408083206001880154600160f01b900461ffff16845290915290205464ffffffffff16818110156116a8578091505b505b9392505050565b6001830154600160c81b900464ffffffffff168082116116d15750611851565b5f6116dc82846120b6565b85546116f89190600160a01b90046001600160581b03166120cf565b60018601805464ffffffffff60c81b1916600160c81b64ffffffffff8716021790556001600160a01b0385165f90815260208190526040902080549192509082908290600c90611759908490600160601b90046001600160601b03166120f9565b92506101000a8154816001600160601b0302191690836001600160601b0316021790555081815f015f8282829054906101000a90046001600160601b03166117a191906120f9565b82546001600160601b039182166101009390930a9283029190920219909116179055506001860154604080518481526001600160401b03871660208201526001600160a01b039092169189917f2700fa45b387b3b1326a9b825542dd97306d42695f781e6ccc96fd897036197e910160405180910390a261184c6001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000168285611b50565b505050505b50505050565b6113d95f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f006113d3565b6040805160c0810182525f80825260208201819052918101829052606081018290526080810182905260a08101919091525f82846040015164ffffffffff16036118cf57508290505f6119f2565b60808401516001600160601b031680156119e0575f818660200151875f01516118f891906120f9565b6001600160601b031661190b9190612132565b866040015164ffffffffff1661192191906120e6565b9050808511156119a057809250856040015164ffffffffff168161194591906120b6565b61194f90836120cf565b866020018181516119609190612151565b6001600160601b03169052505f608087015264ffffffffff831660a087015260608601805160019190611994908390612170565b61ffff169052506119de565b60408601516119b69064ffffffffff16866120b6565b6119c090836120cf565b866020018181516119d19190612151565b6001600160601b03169052505b505b5064ffffffffff831660408501528391505b9250929050565b5f846040015115611a16575060a084015164ffffffffff16611a47565b50425f611a2586868686611a4f565b64ffffffffff1690508015801590611a3c57508181105b15611a45578091505b505b949350505050565b5f836060015161ffff168560c0015161ffff1603611a6e57505f611a47565b64ffffffffff831615801590611a9f575060018460600151611a909190612118565b61ffff168560c0015161ffff16145b15611aab575081611a47565b506001600160a01b0381165f90815260026020908152604080832060c088015161ffff16845290915290205464ffffffffff16949350505050565b5f6001600160601b03821115611b19576040516306dfcc6560e41b81526060600482015260248101839052604401610363565b5090565b5f6001600160581b03821115611b19576040516306dfcc6560e41b81526058600482015260248101839052604401610363565b611b5d8383836001611ce5565b6103cb57604051635274afe760e01b81526001600160a01b0384166004820152602401610363565b805f03611ba557604051631f2a200560e01b815260040160405180910390fd5b5f611baf836113db565b6001600160a01b0384165f908152602081905260409020815191925090611be990611be49085906001600160601b03166120e6565b611ae6565b81546001600160601b0319166001600160601b039190911617815560a082015164ffffffffff1615611c295760018101805464ffffffffff60601b191690555b60405183815233906001600160a01b038616907f8752a472e571a816aea92eec8dae9baf628e840f4929fbcc2d155e6233ff68a79060200160405180910390a36118516001600160a01b037f000000000000000000000000000000000000000000000000000000000000000016333086611d47565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c156113d957604051633ee5aeb560e01b815260040160405180910390fd5b80825d5050565b60405163a9059cbb60e01b5f8181526001600160a01b038616600452602485905291602083604481808b5af1925060015f51148316611d3b578383151615611d2f573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b611d55848484846001611d7d565b61185157604051635274afe760e01b81526001600160a01b0385166004820152602401610363565b6040516323b872dd60e01b5f8181526001600160a01b038781166004528616602452604485905291602083606481808c5af1925060015f51148316611dd9578383151615611dcd573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b80356001600160401b0381168114611e00575f5ffd5b919050565b5f5f5f60408486031215611e17575f5ffd5b83356001600160401b03811115611e2c575f5ffd5b8401601f81018613611e3c575f5ffd5b80356001600160401b03811115611e51575f5ffd5b8660208260051b8401011115611e65575f5ffd5b602091820194509250611e79908501611dea565b90509250925092565b80356001600160a01b0381168114611e00575f5ffd5b5f60208284031215611ea8575f5ffd5b6116aa82611e82565b5f60208284031215611ec1575f5ffd5b5035919050565b81516001600160a01b03908116825260208084015190911690820152604080830151908201526060808301516001600160401b031690820152608080830151610100830191611f21908401826001600160401b03169052565b5060a0830151611f3c60a08401826001600160401b03169052565b5060c0830151611f5760c08401826001600160401b03169052565b5060e092830151919092015290565b5f5f5f5f5f60a08688031215611f7a575f5ffd5b85359450611f8a60208701611e82565b9350611f9860408701611e82565b925060608601359150611fad60808701611dea565b90509295509295909350565b5f5f5f5f5f60a08688031215611fcd575f5ffd5b8535945060208601359350604086013560ff81168114611feb575f5ffd5b94979396509394606081013594506080013592915050565b5f5f60408385031215612014575f5ffd5b61201d83611e82565b915060208301358015158114612031575f5ffd5b809150509250929050565b5f5f6040838503121561204d575f5ffd5b8235915061205d60208401611dea565b90509250929050565b5f5f60408385031215612077575f5ffd5b61208083611e82565b915061205d60208401611e82565b634e487b7160e01b5f52603260045260245ffd5b634e487b7160e01b5f52601160045260245ffd5b818103818111156120c9576120c96120a2565b92915050565b80820281158282048414176120c9576120c96120a2565b808201808211156120c9576120c96120a2565b6001600160601b0382811682821603908111156120c9576120c96120a2565b61ffff82811682821603908111156120c9576120c96120a2565b5f8261214c57634e487b7160e01b5f52601260045260245ffd5b500490565b6001600160601b0381811683821601908111156120c9576120c96120a2565b61ffff81811683821601908111156120c9576120c96120a256fea2646970667358221220396fd156e9b8f72ef6ad6368ad9c7a733b2ef71407c43585d1d5d701ceae3d1264736f6c63430008250033",
}

// StreamEscrow is an auto generated Go binding around an Ethereum contract.
type StreamEscrow struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *StreamEscrow) GetABI() abi.ABI {
	return c.abi
}

// NewStreamEscrow creates a new instance of StreamEscrow.
func NewStreamEscrow() *StreamEscrow {
	parsed, err := StreamEscrowMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &StreamEscrow{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *StreamEscrow) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(address token_) returns()
func (streamEscrow *StreamEscrow) PackConstructor(token_ common.Address) []byte {
	enc, err := streamEscrow.abi.Pack("", token_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackMAXBACKDATE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6019ca7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function MAX_BACKDATE() view returns(uint256)
func (streamEscrow *StreamEscrow) PackMAXBACKDATE() []byte {
	enc, err := streamEscrow.abi.Pack("MAX_BACKDATE")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMAXBACKDATE is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6019ca7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function MAX_BACKDATE() view returns(uint256)
func (streamEscrow *StreamEscrow) TryPackMAXBACKDATE() ([]byte, error) {
	return streamEscrow.abi.Pack("MAX_BACKDATE")
}

// UnpackMAXBACKDATE is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb6019ca7.
//
// Solidity: function MAX_BACKDATE() view returns(uint256)
func (streamEscrow *StreamEscrow) UnpackMAXBACKDATE(data []byte) (*big.Int, error) {
	out, err := streamEscrow.abi.Unpack("MAX_BACKDATE", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackCloseStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x67529fd0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function closeStream(bytes32 key, uint64 end) returns()
func (streamEscrow *StreamEscrow) PackCloseStream(key [32]byte, end uint64) []byte {
	enc, err := streamEscrow.abi.Pack("closeStream", key, end)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackCloseStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x67529fd0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function closeStream(bytes32 key, uint64 end) returns()
func (streamEscrow *StreamEscrow) TryPackCloseStream(key [32]byte, end uint64) ([]byte, error) {
	return streamEscrow.abi.Pack("closeStream", key, end)
}

// PackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6b55f25.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function deposit(uint256 amount) returns()
func (streamEscrow *StreamEscrow) PackDeposit(amount *big.Int) []byte {
	enc, err := streamEscrow.abi.Pack("deposit", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDeposit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6b55f25.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function deposit(uint256 amount) returns()
func (streamEscrow *StreamEscrow) TryPackDeposit(amount *big.Int) ([]byte, error) {
	return streamEscrow.abi.Pack("deposit", amount)
}

// PackDepositWithPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4a970be7.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) returns()
func (streamEscrow *StreamEscrow) PackDepositWithPermit(amount *big.Int, deadline *big.Int, v uint8, r [32]byte, s [32]byte) []byte {
	enc, err := streamEscrow.abi.Pack("depositWithPermit", amount, deadline, v, r, s)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDepositWithPermit is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x4a970be7.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function depositWithPermit(uint256 amount, uint256 deadline, uint8 v, bytes32 r, bytes32 s) returns()
func (streamEscrow *StreamEscrow) TryPackDepositWithPermit(amount *big.Int, deadline *big.Int, v uint8, r [32]byte, s [32]byte) ([]byte, error) {
	return streamEscrow.abi.Pack("depositWithPermit", amount, deadline, v, r, s)
}

// PackGetAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfbcbc0f1.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getAccount(address consumer) view returns((uint256,uint256,uint256,uint256,uint64))
func (streamEscrow *StreamEscrow) PackGetAccount(consumer common.Address) []byte {
	enc, err := streamEscrow.abi.Pack("getAccount", consumer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetAccount is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfbcbc0f1.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getAccount(address consumer) view returns((uint256,uint256,uint256,uint256,uint64))
func (streamEscrow *StreamEscrow) TryPackGetAccount(consumer common.Address) ([]byte, error) {
	return streamEscrow.abi.Pack("getAccount", consumer)
}

// UnpackGetAccount is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfbcbc0f1.
//
// Solidity: function getAccount(address consumer) view returns((uint256,uint256,uint256,uint256,uint64))
func (streamEscrow *StreamEscrow) UnpackGetAccount(data []byte) (StreamEscrowAccountView, error) {
	out, err := streamEscrow.abi.Unpack("getAccount", data)
	if err != nil {
		return *new(StreamEscrowAccountView), err
	}
	out0 := *abi.ConvertType(out[0], new(StreamEscrowAccountView)).(*StreamEscrowAccountView)
	return out0, nil
}

// PackGetStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1290abe8.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getStream(bytes32 key) view returns((address,address,uint256,uint64,uint64,uint64,uint64,uint256) v)
func (streamEscrow *StreamEscrow) PackGetStream(key [32]byte) []byte {
	enc, err := streamEscrow.abi.Pack("getStream", key)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x1290abe8.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getStream(bytes32 key) view returns((address,address,uint256,uint64,uint64,uint64,uint64,uint256) v)
func (streamEscrow *StreamEscrow) TryPackGetStream(key [32]byte) ([]byte, error) {
	return streamEscrow.abi.Pack("getStream", key)
}

// UnpackGetStream is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x1290abe8.
//
// Solidity: function getStream(bytes32 key) view returns((address,address,uint256,uint64,uint64,uint64,uint64,uint256) v)
func (streamEscrow *StreamEscrow) UnpackGetStream(data []byte) (StreamEscrowStreamView, error) {
	out, err := streamEscrow.abi.Unpack("getStream", data)
	if err != nil {
		return *new(StreamEscrowStreamView), err
	}
	out0 := *abi.ConvertType(out[0], new(StreamEscrowStreamView)).(*StreamEscrowStreamView)
	return out0, nil
}

// PackInsolventSince is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0d27cb2c.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function insolventSince(address consumer) view returns(uint64)
func (streamEscrow *StreamEscrow) PackInsolventSince(consumer common.Address) []byte {
	enc, err := streamEscrow.abi.Pack("insolventSince", consumer)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackInsolventSince is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0d27cb2c.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function insolventSince(address consumer) view returns(uint64)
func (streamEscrow *StreamEscrow) TryPackInsolventSince(consumer common.Address) ([]byte, error) {
	return streamEscrow.abi.Pack("insolventSince", consumer)
}

// UnpackInsolventSince is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x0d27cb2c.
//
// Solidity: function insolventSince(address consumer) view returns(uint64)
func (streamEscrow *StreamEscrow) UnpackInsolventSince(data []byte) (uint64, error) {
	out, err := streamEscrow.abi.Unpack("insolventSince", data)
	if err != nil {
		return *new(uint64), err
	}
	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)
	return out0, nil
}

// PackIsOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6363cf2.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isOperator(address consumer, address operator) view returns(bool)
func (streamEscrow *StreamEscrow) PackIsOperator(consumer common.Address, operator common.Address) []byte {
	enc, err := streamEscrow.abi.Pack("isOperator", consumer, operator)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xb6363cf2.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isOperator(address consumer, address operator) view returns(bool)
func (streamEscrow *StreamEscrow) TryPackIsOperator(consumer common.Address, operator common.Address) ([]byte, error) {
	return streamEscrow.abi.Pack("isOperator", consumer, operator)
}

// UnpackIsOperator is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xb6363cf2.
//
// Solidity: function isOperator(address consumer, address operator) view returns(bool)
func (streamEscrow *StreamEscrow) UnpackIsOperator(data []byte) (bool, error) {
	out, err := streamEscrow.abi.Unpack("isOperator", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackOpenStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2c19f669.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function openStream(bytes32 key, address consumer, address provider, uint256 rate, uint64 start) returns()
func (streamEscrow *StreamEscrow) PackOpenStream(key [32]byte, consumer common.Address, provider common.Address, rate *big.Int, start uint64) []byte {
	enc, err := streamEscrow.abi.Pack("openStream", key, consumer, provider, rate, start)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOpenStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2c19f669.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function openStream(bytes32 key, address consumer, address provider, uint256 rate, uint64 start) returns()
func (streamEscrow *StreamEscrow) TryPackOpenStream(key [32]byte, consumer common.Address, provider common.Address, rate *big.Int, start uint64) ([]byte, error) {
	return streamEscrow.abi.Pack("openStream", key, consumer, provider, rate, start)
}

// PackSetOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x558a7297.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function setOperator(address operator, bool approved) returns()
func (streamEscrow *StreamEscrow) PackSetOperator(operator common.Address, approved bool) []byte {
	enc, err := streamEscrow.abi.Pack("setOperator", operator, approved)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSetOperator is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x558a7297.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function setOperator(address operator, bool approved) returns()
func (streamEscrow *StreamEscrow) TryPackSetOperator(operator common.Address, approved bool) ([]byte, error) {
	return streamEscrow.abi.Pack("setOperator", operator, approved)
}

// PackSettleMany is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c831b53.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function settleMany(bytes32[] keys, uint64 until) returns()
func (streamEscrow *StreamEscrow) PackSettleMany(keys [][32]byte, until uint64) []byte {
	enc, err := streamEscrow.abi.Pack("settleMany", keys, until)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSettleMany is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0c831b53.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function settleMany(bytes32[] keys, uint64 until) returns()
func (streamEscrow *StreamEscrow) TryPackSettleMany(keys [][32]byte, until uint64) ([]byte, error) {
	return streamEscrow.abi.Pack("settleMany", keys, until)
}

// PackStreamExists is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x408e1aeb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function streamExists(bytes32 key) view returns(bool)
func (streamEscrow *StreamEscrow) PackStreamExists(key [32]byte) []byte {
	enc, err := streamEscrow.abi.Pack("streamExists", key)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackStreamExists is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x408e1aeb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function streamExists(bytes32 key) view returns(bool)
func (streamEscrow *StreamEscrow) TryPackStreamExists(key [32]byte) ([]byte, error) {
	return streamEscrow.abi.Pack("streamExists", key)
}

// UnpackStreamExists is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x408e1aeb.
//
// Solidity: function streamExists(bytes32 key) view returns(bool)
func (streamEscrow *StreamEscrow) UnpackStreamExists(data []byte) (bool, error) {
	out, err := streamEscrow.abi.Unpack("streamExists", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackToken is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xfc0c546a.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function token() view returns(address)
func (streamEscrow *StreamEscrow) PackToken() []byte {
	enc, err := streamEscrow.abi.Pack("token")
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
func (streamEscrow *StreamEscrow) TryPackToken() ([]byte, error) {
	return streamEscrow.abi.Pack("token")
}

// UnpackToken is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (streamEscrow *StreamEscrow) UnpackToken(data []byte) (common.Address, error) {
	out, err := streamEscrow.abi.Unpack("token", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e1a7d4d.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdraw(uint256 amount) returns()
func (streamEscrow *StreamEscrow) PackWithdraw(amount *big.Int) []byte {
	enc, err := streamEscrow.abi.Pack("withdraw", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdraw is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x2e1a7d4d.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdraw(uint256 amount) returns()
func (streamEscrow *StreamEscrow) TryPackWithdraw(amount *big.Int) ([]byte, error) {
	return streamEscrow.abi.Pack("withdraw", amount)
}

// PackWithdrawFromStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ded4831.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function withdrawFromStream(bytes32 key) returns()
func (streamEscrow *StreamEscrow) PackWithdrawFromStream(key [32]byte) []byte {
	enc, err := streamEscrow.abi.Pack("withdrawFromStream", key)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackWithdrawFromStream is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ded4831.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function withdrawFromStream(bytes32 key) returns()
func (streamEscrow *StreamEscrow) TryPackWithdrawFromStream(key [32]byte) ([]byte, error) {
	return streamEscrow.abi.Pack("withdrawFromStream", key)
}

// StreamEscrowDeposited represents a Deposited event raised by the StreamEscrow contract.
type StreamEscrowDeposited struct {
	Consumer common.Address
	From     common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const StreamEscrowDepositedEventName = "Deposited"

// ContractEventName returns the user-defined event name.
func (StreamEscrowDeposited) ContractEventName() string {
	return StreamEscrowDepositedEventName
}

// UnpackDepositedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Deposited(address indexed consumer, address indexed from, uint256 amount)
func (streamEscrow *StreamEscrow) UnpackDepositedEvent(log *types.Log) (*StreamEscrowDeposited, error) {
	event := "Deposited"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowDeposited)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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

// StreamEscrowInsolvent represents a Insolvent event raised by the StreamEscrow contract.
type StreamEscrowInsolvent struct {
	Consumer common.Address
	Since    uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const StreamEscrowInsolventEventName = "Insolvent"

// ContractEventName returns the user-defined event name.
func (StreamEscrowInsolvent) ContractEventName() string {
	return StreamEscrowInsolventEventName
}

// UnpackInsolventEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Insolvent(address indexed consumer, uint64 since)
func (streamEscrow *StreamEscrow) UnpackInsolventEvent(log *types.Log) (*StreamEscrowInsolvent, error) {
	event := "Insolvent"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowInsolvent)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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

// StreamEscrowOperatorSet represents a OperatorSet event raised by the StreamEscrow contract.
type StreamEscrowOperatorSet struct {
	Consumer common.Address
	Operator common.Address
	Approved bool
	Raw      *types.Log // Blockchain specific contextual infos
}

const StreamEscrowOperatorSetEventName = "OperatorSet"

// ContractEventName returns the user-defined event name.
func (StreamEscrowOperatorSet) ContractEventName() string {
	return StreamEscrowOperatorSetEventName
}

// UnpackOperatorSetEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OperatorSet(address indexed consumer, address indexed operator, bool approved)
func (streamEscrow *StreamEscrow) UnpackOperatorSetEvent(log *types.Log) (*StreamEscrowOperatorSet, error) {
	event := "OperatorSet"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowOperatorSet)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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

// StreamEscrowStreamClosed represents a StreamClosed event raised by the StreamEscrow contract.
type StreamEscrowStreamClosed struct {
	Key [32]byte
	End uint64
	Raw *types.Log // Blockchain specific contextual infos
}

const StreamEscrowStreamClosedEventName = "StreamClosed"

// ContractEventName returns the user-defined event name.
func (StreamEscrowStreamClosed) ContractEventName() string {
	return StreamEscrowStreamClosedEventName
}

// UnpackStreamClosedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StreamClosed(bytes32 indexed key, uint64 end)
func (streamEscrow *StreamEscrow) UnpackStreamClosedEvent(log *types.Log) (*StreamEscrowStreamClosed, error) {
	event := "StreamClosed"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowStreamClosed)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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

// StreamEscrowStreamOpened represents a StreamOpened event raised by the StreamEscrow contract.
type StreamEscrowStreamOpened struct {
	Key      [32]byte
	Consumer common.Address
	Provider common.Address
	Rate     *big.Int
	Start    uint64
	Raw      *types.Log // Blockchain specific contextual infos
}

const StreamEscrowStreamOpenedEventName = "StreamOpened"

// ContractEventName returns the user-defined event name.
func (StreamEscrowStreamOpened) ContractEventName() string {
	return StreamEscrowStreamOpenedEventName
}

// UnpackStreamOpenedEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StreamOpened(bytes32 indexed key, address indexed consumer, address indexed provider, uint256 rate, uint64 start)
func (streamEscrow *StreamEscrow) UnpackStreamOpenedEvent(log *types.Log) (*StreamEscrowStreamOpened, error) {
	event := "StreamOpened"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowStreamOpened)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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

// StreamEscrowStreamSettled represents a StreamSettled event raised by the StreamEscrow contract.
type StreamEscrowStreamSettled struct {
	Key       [32]byte
	Amount    *big.Int
	SettledTo uint64
	Raw       *types.Log // Blockchain specific contextual infos
}

const StreamEscrowStreamSettledEventName = "StreamSettled"

// ContractEventName returns the user-defined event name.
func (StreamEscrowStreamSettled) ContractEventName() string {
	return StreamEscrowStreamSettledEventName
}

// UnpackStreamSettledEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event StreamSettled(bytes32 indexed key, uint256 amount, uint64 settledTo)
func (streamEscrow *StreamEscrow) UnpackStreamSettledEvent(log *types.Log) (*StreamEscrowStreamSettled, error) {
	event := "StreamSettled"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowStreamSettled)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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

// StreamEscrowWithdrawn represents a Withdrawn event raised by the StreamEscrow contract.
type StreamEscrowWithdrawn struct {
	Consumer common.Address
	Amount   *big.Int
	Raw      *types.Log // Blockchain specific contextual infos
}

const StreamEscrowWithdrawnEventName = "Withdrawn"

// ContractEventName returns the user-defined event name.
func (StreamEscrowWithdrawn) ContractEventName() string {
	return StreamEscrowWithdrawnEventName
}

// UnpackWithdrawnEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Withdrawn(address indexed consumer, uint256 amount)
func (streamEscrow *StreamEscrow) UnpackWithdrawnEvent(log *types.Log) (*StreamEscrowWithdrawn, error) {
	event := "Withdrawn"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != streamEscrow.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(StreamEscrowWithdrawn)
	if len(log.Data) > 0 {
		if err := streamEscrow.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range streamEscrow.abi.Events[event].Inputs {
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
func (streamEscrow *StreamEscrow) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["EndOutOfRange"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackEndOutOfRangeError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["ExceedsRefundable"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackExceedsRefundableError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["InsufficientDeposit"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackInsufficientDepositError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["NotOperator"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackNotOperatorError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["NotOperatorOrProvider"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackNotOperatorOrProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["NotProvider"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackNotProviderError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["ReentrancyGuardReentrantCall"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackReentrancyGuardReentrantCallError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["SafeCastOverflowedUintDowncast"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackSafeCastOverflowedUintDowncastError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["SafeERC20FailedOperation"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackSafeERC20FailedOperationError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["StartInFuture"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackStartInFutureError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["StartTooOld"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackStartTooOldError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["StreamClosedAlready"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackStreamClosedAlreadyError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["StreamExists"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackStreamExistsError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["UnknownStream"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackUnknownStreamError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["ZeroAddress"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackZeroAddressError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["ZeroAmount"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackZeroAmountError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["ZeroKey"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackZeroKeyError(raw[4:])
	}
	if bytes.Equal(raw[:4], streamEscrow.abi.Errors["ZeroRate"].ID.Bytes()[:4]) {
		return streamEscrow.UnpackZeroRateError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// StreamEscrowEndOutOfRange represents a EndOutOfRange error raised by the StreamEscrow contract.
type StreamEscrowEndOutOfRange struct {
	End     uint64
	Start   uint64
	NowTime *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error EndOutOfRange(uint64 end, uint64 start, uint256 nowTime)
func StreamEscrowEndOutOfRangeErrorID() common.Hash {
	return common.HexToHash("0x7d088965c4f8e9811d454f63ed98cddb518303fc0bb6c26925e9fec5b0e8b472")
}

// UnpackEndOutOfRangeError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error EndOutOfRange(uint64 end, uint64 start, uint256 nowTime)
func (streamEscrow *StreamEscrow) UnpackEndOutOfRangeError(raw []byte) (*StreamEscrowEndOutOfRange, error) {
	out := new(StreamEscrowEndOutOfRange)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "EndOutOfRange", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowExceedsRefundable represents a ExceedsRefundable error raised by the StreamEscrow contract.
type StreamEscrowExceedsRefundable struct {
	Requested  *big.Int
	Refundable *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ExceedsRefundable(uint256 requested, uint256 refundable)
func StreamEscrowExceedsRefundableErrorID() common.Hash {
	return common.HexToHash("0x75718ba73a05dd1b01e21f343ac2cae8e9a2d57402f0d6f384ae79fddb2472c9")
}

// UnpackExceedsRefundableError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ExceedsRefundable(uint256 requested, uint256 refundable)
func (streamEscrow *StreamEscrow) UnpackExceedsRefundableError(raw []byte) (*StreamEscrowExceedsRefundable, error) {
	out := new(StreamEscrowExceedsRefundable)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "ExceedsRefundable", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowInsufficientDeposit represents a InsufficientDeposit error raised by the StreamEscrow contract.
type StreamEscrowInsufficientDeposit struct {
	Available *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error InsufficientDeposit(uint256 available, uint256 needed)
func StreamEscrowInsufficientDepositErrorID() common.Hash {
	return common.HexToHash("0x25c3f46ecd0dcfead2bb7f0a56ddd46b53657101f862f3a681b9f02ac28ed92f")
}

// UnpackInsufficientDepositError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error InsufficientDeposit(uint256 available, uint256 needed)
func (streamEscrow *StreamEscrow) UnpackInsufficientDepositError(raw []byte) (*StreamEscrowInsufficientDeposit, error) {
	out := new(StreamEscrowInsufficientDeposit)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "InsufficientDeposit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowNotOperator represents a NotOperator error raised by the StreamEscrow contract.
type StreamEscrowNotOperator struct {
	Consumer common.Address
	Caller   common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOperator(address consumer, address caller)
func StreamEscrowNotOperatorErrorID() common.Hash {
	return common.HexToHash("0x4738d054fb342362ac3b7f0ca661178b1cf93159ab6884ef2cb88b14760d0f55")
}

// UnpackNotOperatorError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOperator(address consumer, address caller)
func (streamEscrow *StreamEscrow) UnpackNotOperatorError(raw []byte) (*StreamEscrowNotOperator, error) {
	out := new(StreamEscrowNotOperator)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "NotOperator", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowNotOperatorOrProvider represents a NotOperatorOrProvider error raised by the StreamEscrow contract.
type StreamEscrowNotOperatorOrProvider struct {
	Key    [32]byte
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotOperatorOrProvider(bytes32 key, address caller)
func StreamEscrowNotOperatorOrProviderErrorID() common.Hash {
	return common.HexToHash("0x619f42834b1505a262acf97c4696fded5934f601eacf7f3931a3cb881ec99b78")
}

// UnpackNotOperatorOrProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotOperatorOrProvider(bytes32 key, address caller)
func (streamEscrow *StreamEscrow) UnpackNotOperatorOrProviderError(raw []byte) (*StreamEscrowNotOperatorOrProvider, error) {
	out := new(StreamEscrowNotOperatorOrProvider)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "NotOperatorOrProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowNotProvider represents a NotProvider error raised by the StreamEscrow contract.
type StreamEscrowNotProvider struct {
	Key    [32]byte
	Caller common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error NotProvider(bytes32 key, address caller)
func StreamEscrowNotProviderErrorID() common.Hash {
	return common.HexToHash("0x3a5187b5a4f3730867e330078a2c12f14f138078f903b299635d5f28ee5e2f8c")
}

// UnpackNotProviderError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error NotProvider(bytes32 key, address caller)
func (streamEscrow *StreamEscrow) UnpackNotProviderError(raw []byte) (*StreamEscrowNotProvider, error) {
	out := new(StreamEscrowNotProvider)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "NotProvider", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowReentrancyGuardReentrantCall represents a ReentrancyGuardReentrantCall error raised by the StreamEscrow contract.
type StreamEscrowReentrancyGuardReentrantCall struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ReentrancyGuardReentrantCall()
func StreamEscrowReentrancyGuardReentrantCallErrorID() common.Hash {
	return common.HexToHash("0x3ee5aeb571de7fc460830b4d0017439a1ca56fb0bc39062227ade4fe4a24c1ca")
}

// UnpackReentrancyGuardReentrantCallError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ReentrancyGuardReentrantCall()
func (streamEscrow *StreamEscrow) UnpackReentrancyGuardReentrantCallError(raw []byte) (*StreamEscrowReentrancyGuardReentrantCall, error) {
	out := new(StreamEscrowReentrancyGuardReentrantCall)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "ReentrancyGuardReentrantCall", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowSafeCastOverflowedUintDowncast represents a SafeCastOverflowedUintDowncast error raised by the StreamEscrow contract.
type StreamEscrowSafeCastOverflowedUintDowncast struct {
	Bits  uint8
	Value *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)
func StreamEscrowSafeCastOverflowedUintDowncastErrorID() common.Hash {
	return common.HexToHash("0x6dfcc6503a32754ce7a89698e18201fc5294fd4aad43edefee786f88423b1a12")
}

// UnpackSafeCastOverflowedUintDowncastError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)
func (streamEscrow *StreamEscrow) UnpackSafeCastOverflowedUintDowncastError(raw []byte) (*StreamEscrowSafeCastOverflowedUintDowncast, error) {
	out := new(StreamEscrowSafeCastOverflowedUintDowncast)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "SafeCastOverflowedUintDowncast", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowSafeERC20FailedOperation represents a SafeERC20FailedOperation error raised by the StreamEscrow contract.
type StreamEscrowSafeERC20FailedOperation struct {
	Token common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error SafeERC20FailedOperation(address token)
func StreamEscrowSafeERC20FailedOperationErrorID() common.Hash {
	return common.HexToHash("0x5274afe73c98b4749fc91ffae6b7b574e7842cb2144a159e9377a5f20b32edf9")
}

// UnpackSafeERC20FailedOperationError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error SafeERC20FailedOperation(address token)
func (streamEscrow *StreamEscrow) UnpackSafeERC20FailedOperationError(raw []byte) (*StreamEscrowSafeERC20FailedOperation, error) {
	out := new(StreamEscrowSafeERC20FailedOperation)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "SafeERC20FailedOperation", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowStartInFuture represents a StartInFuture error raised by the StreamEscrow contract.
type StreamEscrowStartInFuture struct {
	Start   uint64
	NowTime *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StartInFuture(uint64 start, uint256 nowTime)
func StreamEscrowStartInFutureErrorID() common.Hash {
	return common.HexToHash("0xbe477871844146f6a4928087d8b78a7c69aab33f18b94e4efcf19db6c617a158")
}

// UnpackStartInFutureError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StartInFuture(uint64 start, uint256 nowTime)
func (streamEscrow *StreamEscrow) UnpackStartInFutureError(raw []byte) (*StreamEscrowStartInFuture, error) {
	out := new(StreamEscrowStartInFuture)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "StartInFuture", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowStartTooOld represents a StartTooOld error raised by the StreamEscrow contract.
type StreamEscrowStartTooOld struct {
	Start   uint64
	NowTime *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StartTooOld(uint64 start, uint256 nowTime)
func StreamEscrowStartTooOldErrorID() common.Hash {
	return common.HexToHash("0xdcca03f1015f4aa89b8d86d275f5195d95e21ac8c9f616376f223cd229390d9b")
}

// UnpackStartTooOldError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StartTooOld(uint64 start, uint256 nowTime)
func (streamEscrow *StreamEscrow) UnpackStartTooOldError(raw []byte) (*StreamEscrowStartTooOld, error) {
	out := new(StreamEscrowStartTooOld)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "StartTooOld", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowStreamClosedAlready represents a StreamClosedAlready error raised by the StreamEscrow contract.
type StreamEscrowStreamClosedAlready struct {
	Key [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StreamClosedAlready(bytes32 key)
func StreamEscrowStreamClosedAlreadyErrorID() common.Hash {
	return common.HexToHash("0xf531f79d40e3bda49f6d594351265909c61096012fc26cdb03b66edec2acb180")
}

// UnpackStreamClosedAlreadyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StreamClosedAlready(bytes32 key)
func (streamEscrow *StreamEscrow) UnpackStreamClosedAlreadyError(raw []byte) (*StreamEscrowStreamClosedAlready, error) {
	out := new(StreamEscrowStreamClosedAlready)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "StreamClosedAlready", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowStreamExists represents a StreamExists error raised by the StreamEscrow contract.
type StreamEscrowStreamExists struct {
	Key [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error StreamExists(bytes32 key)
func StreamEscrowStreamExistsErrorID() common.Hash {
	return common.HexToHash("0x49c54455e0921cf784b9a2a3cb56e2fdfae1a8db645fcc2ddc11e376c267930a")
}

// UnpackStreamExistsError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error StreamExists(bytes32 key)
func (streamEscrow *StreamEscrow) UnpackStreamExistsError(raw []byte) (*StreamEscrowStreamExists, error) {
	out := new(StreamEscrowStreamExists)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "StreamExists", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowUnknownStream represents a UnknownStream error raised by the StreamEscrow contract.
type StreamEscrowUnknownStream struct {
	Key [32]byte
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error UnknownStream(bytes32 key)
func StreamEscrowUnknownStreamErrorID() common.Hash {
	return common.HexToHash("0x7851844993dc1aff5d49d5807fa6dd671599aa5484fc86b17fe47ee1d89c7851")
}

// UnpackUnknownStreamError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error UnknownStream(bytes32 key)
func (streamEscrow *StreamEscrow) UnpackUnknownStreamError(raw []byte) (*StreamEscrowUnknownStream, error) {
	out := new(StreamEscrowUnknownStream)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "UnknownStream", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowZeroAddress represents a ZeroAddress error raised by the StreamEscrow contract.
type StreamEscrowZeroAddress struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAddress()
func StreamEscrowZeroAddressErrorID() common.Hash {
	return common.HexToHash("0xd92e233df2717d4a40030e20904abd27b68fcbeede117eaaccbbdac9618c8c73")
}

// UnpackZeroAddressError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAddress()
func (streamEscrow *StreamEscrow) UnpackZeroAddressError(raw []byte) (*StreamEscrowZeroAddress, error) {
	out := new(StreamEscrowZeroAddress)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "ZeroAddress", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowZeroAmount represents a ZeroAmount error raised by the StreamEscrow contract.
type StreamEscrowZeroAmount struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroAmount()
func StreamEscrowZeroAmountErrorID() common.Hash {
	return common.HexToHash("0x1f2a2005cb66a8e145327e8814e243a0996aec9bfe1e15a495778b1236dbd485")
}

// UnpackZeroAmountError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroAmount()
func (streamEscrow *StreamEscrow) UnpackZeroAmountError(raw []byte) (*StreamEscrowZeroAmount, error) {
	out := new(StreamEscrowZeroAmount)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "ZeroAmount", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowZeroKey represents a ZeroKey error raised by the StreamEscrow contract.
type StreamEscrowZeroKey struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroKey()
func StreamEscrowZeroKeyErrorID() common.Hash {
	return common.HexToHash("0xfbd849c64583c50579479efaac1ef44e6d9d78379a9ea28aa6150a3b683c09f5")
}

// UnpackZeroKeyError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroKey()
func (streamEscrow *StreamEscrow) UnpackZeroKeyError(raw []byte) (*StreamEscrowZeroKey, error) {
	out := new(StreamEscrowZeroKey)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "ZeroKey", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// StreamEscrowZeroRate represents a ZeroRate error raised by the StreamEscrow contract.
type StreamEscrowZeroRate struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ZeroRate()
func StreamEscrowZeroRateErrorID() common.Hash {
	return common.HexToHash("0x299dcf9a41f9ddc694b85732ce6cab64bc65574aaae963d596ad33ee427e900d")
}

// UnpackZeroRateError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ZeroRate()
func (streamEscrow *StreamEscrow) UnpackZeroRateError(raw []byte) (*StreamEscrowZeroRate, error) {
	out := new(StreamEscrowZeroRate)
	if err := streamEscrow.abi.UnpackIntoInterface(out, "ZeroRate", raw); err != nil {
		return nil, err
	}
	return out, nil
}
