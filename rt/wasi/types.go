package wasi

// The types of WASI preview 1 as the guest sees them: flag bits, enum
// values and the byte layout of the structures exchanged through linear
// memory, from the witx of wasi_snapshot_preview1
// (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/typenames.witx).
// All structures are little-endian with natural alignment.

// Rights (the `rights` flags): what an fd may be used for.
const (
	rightFdDatasync           = 1 << 0
	rightFdRead               = 1 << 1
	rightFdSeek               = 1 << 2
	rightFdFdstatSetFlags     = 1 << 3
	rightFdSync               = 1 << 4
	rightFdTell               = 1 << 5
	rightFdWrite              = 1 << 6
	rightFdAdvise             = 1 << 7
	rightFdAllocate           = 1 << 8
	rightPathCreateDirectory  = 1 << 9
	rightPathCreateFile       = 1 << 10
	rightPathLinkSource       = 1 << 11
	rightPathLinkTarget       = 1 << 12
	rightPathOpen             = 1 << 13
	rightFdReaddir            = 1 << 14
	rightPathReadlink         = 1 << 15
	rightPathRenameSource     = 1 << 16
	rightPathRenameTarget     = 1 << 17
	rightPathFilestatGet      = 1 << 18
	rightPathFilestatSetSize  = 1 << 19
	rightPathFilestatSetTimes = 1 << 20
	rightFdFilestatGet        = 1 << 21
	rightFdFilestatSetSize    = 1 << 22
	rightFdFilestatSetTimes   = 1 << 23
	rightPathSymlink          = 1 << 24
	rightPathRemoveDirectory  = 1 << 25
	rightPathUnlinkFile       = 1 << 26
	rightPollFdReadwrite      = 1 << 27
	rightSockShutdown         = 1 << 28
	rightSockAccept           = 1 << 29
)

// The most rights an fd of each kind can hold (the sets uvwasi and
// wasi-libc's expectations agree on). An fd's rights are what path_open
// asked for, within its directory's inheriting rights, within these.
const (
	// rightsFile: a regular file (or any non-directory opened by path).
	rightsFile = rightFdDatasync | rightFdRead | rightFdSeek | rightFdFdstatSetFlags |
		rightFdSync | rightFdTell | rightFdWrite | rightFdAdvise | rightFdAllocate |
		rightFdFilestatGet | rightFdFilestatSetSize | rightFdFilestatSetTimes |
		rightPollFdReadwrite
	// rightsDir: a directory; never the data rights of files.
	rightsDir = rightFdFdstatSetFlags | rightFdSync | rightFdAdvise |
		rightPathCreateDirectory | rightPathCreateFile | rightPathLinkSource |
		rightPathLinkTarget | rightPathOpen | rightFdReaddir | rightPathReadlink |
		rightPathRenameSource | rightPathRenameTarget | rightPathFilestatGet |
		rightPathFilestatSetSize | rightPathFilestatSetTimes | rightFdFilestatGet |
		rightFdFilestatSetTimes | rightPathSymlink | rightPathRemoveDirectory |
		rightPathUnlinkFile | rightPollFdReadwrite
	// rightsDirInheriting: what a directory may pass on to what it opens.
	rightsDirInheriting = rightsDir | rightsFile
	// rightsStdin, rightsStdout: the standard streams, which are not
	// seekable (they are the host's io.Reader and io.Writer).
	rightsStdin  = rightFdRead | rightFdFdstatSetFlags | rightFdFilestatGet | rightPollFdReadwrite
	rightsStdout = rightFdWrite | rightFdDatasync | rightFdSync | rightFdFdstatSetFlags |
		rightFdFilestatGet | rightPollFdReadwrite
)

// File types (`filetype`).
const (
	filetypeUnknown         = 0
	filetypeBlockDevice     = 1
	filetypeCharacterDevice = 2
	filetypeDirectory       = 3
	filetypeRegularFile     = 4
	filetypeSocketDgram     = 5
	filetypeSocketStream    = 6
	filetypeSymbolicLink    = 7
)

// Fd flags (`fdflags`).
const (
	fdflagAppend   = 1 << 0
	fdflagDsync    = 1 << 1
	fdflagNonblock = 1 << 2
	fdflagRsync    = 1 << 3
	fdflagSync     = 1 << 4
	fdflagsAll     = fdflagAppend | fdflagDsync | fdflagNonblock | fdflagRsync | fdflagSync
)

// Open flags (`oflags`), lookup flags and time-setting flags (`fstflags`).
const (
	oflagCreat     = 1 << 0
	oflagDirectory = 1 << 1
	oflagExcl      = 1 << 2
	oflagTrunc     = 1 << 3

	lookupSymlinkFollow = 1 << 0

	fstflagAtim    = 1 << 0
	fstflagAtimNow = 1 << 1
	fstflagMtim    = 1 << 2
	fstflagMtimNow = 1 << 3
)

// Seek origins (`whence`).
const (
	whenceSet = 0
	whenceCur = 1
	whenceEnd = 2
)

// Clocks (`clockid`), subscription and event values, and the other small
// enums and limits.
const (
	clockRealtime     = 0
	clockMonotonic    = 1
	clockProcessCPU   = 2
	clockThreadCPU    = 3
	subclockAbstime   = 1 << 0 // subscription_clock flags
	eventtypeClock    = 0
	eventtypeFdRead   = 1
	eventtypeFdWrite  = 2
	eventrwflagHangup = 1 << 0
	preopentypeDir    = 0
	sdflagsAll        = 3  // sdflags: RD | WR
	riflagsAll        = 3  // riflags: RECV_PEEK | RECV_WAITALL
	maxSymlinkExpands = 40 // Linux's MAXSYMLINKS
)

// Byte layouts of the structures (offsets and sizes).
const (
	// fdstat
	fdstatSize        = 24
	fdstatFiletype    = 0  // u8
	fdstatFlags       = 2  // u16
	fdstatRightsBase  = 8  // u64
	fdstatRightsInher = 16 // u64

	// filestat
	filestatSize     = 64
	filestatDev      = 0  // u64
	filestatIno      = 8  // u64
	filestatFiletype = 16 // u8
	filestatNlink    = 24 // u64
	filestatFileSize = 32 // u64
	filestatAtim     = 40 // u64, ns
	filestatMtim     = 48 // u64, ns
	filestatCtim     = 56 // u64, ns

	// prestat
	prestatSize    = 8
	prestatTag     = 0 // u8
	prestatNameLen = 4 // u32

	// dirent, followed by d_namlen bytes of name
	direntSize   = 24
	direntNext   = 0  // u64 cookie of the next entry
	direntIno    = 8  // u64
	direntNamlen = 16 // u32
	direntType   = 20 // u8

	// iovec / ciovec
	iovecSize = 8 // buf u32, buf_len u32

	// subscription
	subscriptionSize     = 48
	subUserdata          = 0  // u64
	subTag               = 8  // u8 eventtype
	subClockID           = 16 // u32
	subClockTimeout      = 24 // u64
	subClockFlags        = 40 // u16
	subFdReadwriteFd     = 16 // u32
	eventSize            = 32
	eventUserdata        = 0  // u64
	eventError           = 8  // u16
	eventType            = 10 // u8
	eventFdReadwriteSize = 16 // u64 nbytes
	eventFdReadwriteFlag = 24 // u16
)
